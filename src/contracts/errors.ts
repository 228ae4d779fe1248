/**
 * One error type with stable codes (docs/conventions.md §8). The HTTP status, the
 * OpenAI `error.type`, retryability and log level of every code are decided here, once.
 * The edge handler renders `{"error":{"message","type","param","code"}}`
 * (OpenAI error object: https://platform.openai.com/docs/guides/error-codes).
 * Every code is listed in docs/errors.md; test/contract/errors-doc.test.ts fails when they differ.
 */

export interface ErrorCodeSpec {
  /** HTTP status the client receives. */
  readonly status: number;
  /** OpenAI `error.type`. */
  readonly type: string;
  /** Whether another attempt (same or other upstream) may succeed. */
  readonly retryable: boolean;
  /** pino level at which the edge logs it. */
  readonly logLevel: 'info' | 'warn' | 'error';
  /**
   * How an upstream attempt that ended with this code counts toward the health registry's
   * circuits (src/limits/health-effect.ts): `target` for the provider × model, `provider` for
   * the whole provider (its account was refused); absent = never counts (the client's fault, or
   * Signalbox's own).
   */
  readonly upstreamHealth?: 'target' | 'provider';
}

export const errorCodes = {
  invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  invalid_json: { status: 400, type: 'invalid_request_error', retryable: false, logLevel: 'info' },
  missing_api_key: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    logLevel: 'info',
  },
  invalid_api_key: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    logLevel: 'info',
  },
  session_expired: {
    status: 401,
    type: 'authentication_error',
    retryable: false,
    logLevel: 'info',
  },
  permission_denied: {
    status: 403,
    type: 'permission_error',
    retryable: false,
    logLevel: 'info',
  },
  invalid_csrf_token: {
    status: 403,
    type: 'permission_error',
    retryable: false,
    logLevel: 'info',
  },
  route_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  model_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  generation_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  request_timeout: {
    status: 408,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  malformed_http_request: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  request_header_too_large: {
    status: 431,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  request_too_large: {
    status: 413,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  unsupported_media_type: {
    status: 415,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  unsupported_capability: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  cost_limit_exceeded: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  policy_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  recommendation_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  conflict: { status: 409, type: 'invalid_request_error', retryable: false, logLevel: 'info' },
  provider_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  provider_read_only: {
    status: 409,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  encryption_key_missing: {
    status: 503,
    type: 'server_error',
    retryable: false,
    logLevel: 'warn',
  },
  vault_decrypt_failed: {
    status: 500,
    type: 'server_error',
    retryable: false,
    logLevel: 'error',
  },
  key_not_found: { status: 404, type: 'invalid_request_error', retryable: false, logLevel: 'info' },
  project_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  alert_rule_not_found: {
    status: 404,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  model_not_allowed: {
    status: 403,
    type: 'permission_error',
    retryable: false,
    logLevel: 'info',
  },
  upstream_invalid_request: {
    status: 400,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  upstream_content_filtered: {
    status: 403,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
  rate_limited: {
    status: 429,
    type: 'rate_limit_error',
    retryable: true,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  rate_limit_exceeded: {
    status: 429,
    type: 'rate_limit_error',
    retryable: true,
    logLevel: 'info',
  },
  budget_exceeded: {
    status: 402,
    type: 'insufficient_quota',
    retryable: false,
    logLevel: 'info',
  },
  budget_requires_price: {
    status: 403,
    type: 'permission_error',
    retryable: false,
    logLevel: 'info',
  },
  limits_unavailable: {
    status: 503,
    type: 'server_error',
    retryable: true,
    logLevel: 'warn',
  },
  internal_error: { status: 500, type: 'server_error', retryable: false, logLevel: 'error' },
  database_unavailable: {
    status: 503,
    type: 'server_error',
    retryable: true,
    logLevel: 'error',
  },
  server_shutting_down: {
    status: 503,
    type: 'server_error',
    retryable: true,
    logLevel: 'info',
  },
  upstream_error: {
    status: 502,
    type: 'upstream_error',
    retryable: true,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  upstream_auth_failed: {
    status: 502,
    type: 'upstream_error',
    retryable: false,
    logLevel: 'error',
    upstreamHealth: 'provider',
  },
  upstream_insufficient_credits: {
    status: 502,
    type: 'upstream_error',
    retryable: false,
    logLevel: 'error',
    upstreamHealth: 'provider',
  },
  upstream_invalid_response: {
    status: 502,
    type: 'upstream_error',
    retryable: true,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  upstream_unavailable: {
    status: 503,
    type: 'upstream_error',
    retryable: true,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  upstream_timeout: {
    status: 504,
    type: 'upstream_error',
    retryable: true,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  stream_interrupted: {
    status: 502,
    type: 'upstream_error',
    retryable: false,
    logLevel: 'warn',
    upstreamHealth: 'target',
  },
  deadline_exceeded: {
    status: 504,
    type: 'timeout_error',
    retryable: false,
    logLevel: 'warn',
  },
  client_closed_request: {
    status: 499,
    type: 'invalid_request_error',
    retryable: false,
    logLevel: 'info',
  },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof errorCodes;

export interface SignalboxErrorOptions {
  /** The request field at fault, as OpenAI's `error.param` (e.g. `messages[0].role`). */
  param?: string | null;
  /**
   * Seconds the client should wait, sent (rounded up) as the `retry-after` header; fractional
   * when the upstream said it in milliseconds (`retry-after-ms`), so retries wait exactly that.
   */
  retryAfterSeconds?: number;
  /** The upstream HTTP status, when the error came from an upstream. */
  upstreamStatus?: number;
  /**
   * One entry per upstream attempt when this error ends a request whose every candidate
   * failed; rendered as `error.metadata.attempts` (as tensorzero's `AllModelProvidersFailed`).
   */
  attempts?: readonly FailedAttempt[];
  /** Machine-readable details rendered under `error.metadata` (e.g. the routing exclusions). */
  metadata?: Readonly<Record<string, unknown>>;
  cause?: unknown;
}

/** One failed upstream attempt, as the client sees it in `error.metadata.attempts`. */
export interface FailedAttempt {
  /** Signalbox provider instance id. */
  provider: string;
  /** The model name sent to that provider. */
  model: string;
  /** The Signalbox error code of the attempt's failure. */
  code: string;
  /** The upstream's HTTP status, when it answered. */
  upstream_status: number | null;
}

/**
 * The one error type. `message` must be safe to show a client: never a stack trace,
 * an upstream URL, a header value or a secret (the constructors in this codebase build
 * messages from fixed text and sanitised upstream messages only).
 */
export class SignalboxError extends Error {
  readonly code: ErrorCode;
  readonly param: string | null;
  readonly retryAfterSeconds: number | undefined;
  readonly upstreamStatus: number | undefined;
  readonly attempts: readonly FailedAttempt[];
  readonly metadata: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options: SignalboxErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignalboxError';
    this.code = code;
    this.param = options.param ?? null;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.upstreamStatus = options.upstreamStatus;
    this.attempts = options.attempts ?? [];
    this.metadata = options.metadata;
  }

  get status(): number {
    return errorCodes[this.code].status;
  }

  get type(): string {
    return errorCodes[this.code].type;
  }

  get retryable(): boolean {
    return errorCodes[this.code].retryable;
  }

  get logLevel(): ErrorCodeSpec['logLevel'] {
    return errorCodes[this.code].logLevel;
  }

  /**
   * The OpenAI-shaped body `{"error":{"message","type","param","code"}}`, plus OpenRouter's
   * `metadata` object listing every failed attempt when there were any, and any details.
   */
  toBody(): ErrorBody {
    const error: ErrorBody['error'] = {
      message: this.message,
      type: this.type,
      param: this.param,
      code: this.code,
    };
    if (this.attempts.length > 0 || this.metadata !== undefined)
      error.metadata = {
        ...this.metadata,
        ...(this.attempts.length > 0 ? { attempts: this.attempts } : {}),
      };
    return { error };
  }

  /** The same error with other options (e.g. the attempts of the loop it ended). */
  with(options: SignalboxErrorOptions): SignalboxError {
    return new SignalboxError(this.code, this.message, {
      param: this.param,
      ...(this.retryAfterSeconds === undefined
        ? {}
        : { retryAfterSeconds: this.retryAfterSeconds }),
      ...(this.upstreamStatus === undefined ? {} : { upstreamStatus: this.upstreamStatus }),
      attempts: this.attempts,
      ...(this.metadata === undefined ? {} : { metadata: this.metadata }),
      cause: this.cause,
      ...options,
    });
  }
}

/** OpenAI error response body. */
export interface ErrorBody {
  error: {
    message: string;
    type: string;
    param: string | null;
    code: string;
    metadata?: { attempts?: readonly FailedAttempt[]; [detail: string]: unknown };
  };
}

/** Wraps anything thrown into a SignalboxError without leaking its message. */
export function toSignalboxError(error: unknown): SignalboxError {
  if (error instanceof SignalboxError) return error;
  return new SignalboxError('internal_error', 'Internal server error.', { cause: error });
}
