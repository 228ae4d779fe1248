/**
 * OpenRouter error bodies, `{"error":{"message","code",metadata?},"user_id"?}` (docs: "The HTTP
 * Response will have the same status code as error.code"). Messages are the real ones users
 * pasted (bodies users pasted in public issues, src/emulator/__fixtures__/observed-responses-from-issues.json) and the recorded 429 of
 * test_openrouter_errors_raised.yaml; where no real body exists, the OpenAPI spec's example.
 */
import { STATUS_CODES } from 'node:http';

/** The `user_id` the emulator's account has (real bodies carry the caller's `user_…`). */
export const EMULATOR_USER_ID = 'user_emulator';

export interface OpenRouterErrorBody {
  error: { message: string; code: number; metadata?: Record<string, unknown> };
  user_id?: string;
}

/** What the default body of a status may mention. */
export interface ErrorContext {
  /** The requested model id, when known. */
  model?: string | null;
  /** The provider that would have served it (for upstream errors). */
  providerName?: string | null;
  /** Tokens the request asked for at most (402 mentions it). */
  requestedTokens?: number | null;
}

/** `{"error":{"message":"No cookie auth credentials found","code":401}}` (real, no Authorization header). */
export const missingCredentialsBody: OpenRouterErrorBody = {
  error: { message: 'No cookie auth credentials found', code: 401 },
};

/** `{"error":{"message":"User not found.","code":401}}` (real, unknown key). */
export const unknownKeyBody: OpenRouterErrorBody = {
  error: { message: 'User not found.', code: 401 },
};

/** 404 for a model with no endpoint (real: `No endpoints found for stepfun/step-3.5-flash:free.`). */
export function noEndpointsBody(model: string): OpenRouterErrorBody {
  return {
    error: { message: `No endpoints found for ${model}.`, code: 404 },
    user_id: EMULATOR_USER_ID,
  };
}

/** 400 for a body that is not JSON or has no `messages` (message from the spec example). */
export function invalidRequestBody(detail: string): OpenRouterErrorBody {
  return { error: { message: 'Invalid request parameters', code: 400, metadata: { detail } } };
}

function upstreamError(code: number, context: ErrorContext, raw: string): OpenRouterErrorBody {
  return {
    error: {
      message: 'Provider returned error',
      code,
      metadata: { provider_name: context.providerName ?? null, raw },
    },
    user_id: EMULATOR_USER_ID,
  };
}

/** The default body the emulator sends for an HTTP error `status` (a fault without `body`). */
export function errorBodyForStatus(
  status: number,
  context: ErrorContext = {},
): OpenRouterErrorBody {
  const model = context.model ?? 'the requested model';
  switch (status) {
    case 401:
      return unknownKeyBody;
    case 402: {
      const requested = context.requestedTokens ?? 4096;
      const message = `This request requires more credits, or fewer max_tokens. You requested up to ${requested} tokens, but can only afford 0. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account`;
      return {
        error: { message, code: 402, metadata: { provider_name: null } },
        user_id: EMULATOR_USER_ID,
      };
    }
    case 403:
      return { error: { message: 'Only management keys can perform this operation', code: 403 } };
    case 404:
      return noEndpointsBody(model);
    case 429:
      return upstreamError(
        429,
        context,
        `${model} is temporarily rate-limited upstream. Please retry shortly, or add your own key to accumulate your rate limits: https://openrouter.ai/settings/integrations`,
      );
    case 502:
      return upstreamError(
        502,
        context,
        JSON.stringify({
          error: { message: 'Upstream service unavailable', type: 'server_error' },
        }),
      );
    default:
      return {
        error: { message: SPEC_MESSAGES[status] ?? STATUS_CODES[status] ?? 'Error', code: status },
      };
  }
}

/** Example messages of the OpenAPI spec for POST /chat/completions. */
const SPEC_MESSAGES: Readonly<Record<number, string>> = {
  400: 'Invalid request parameters',
  408: 'Operation timed out. Please try again later.',
  413: 'Request payload too large',
  422: 'Invalid argument',
  500: 'Internal Server Error',
  503: 'Service temporarily unavailable',
  524: 'Request timed out. Please try again later.',
  529: 'Provider returned error',
};
