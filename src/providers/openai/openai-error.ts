/**
 * OpenAI error bodies → SignalboxError. By HTTP status (shared/map-upstream-error.ts), except:
 * a 429 whose type/code is `insufficient_quota` is an exhausted balance, not a rate limit
 * (`upstream_insufficient_credits`; retrying does not help), and `model_not_found` on any
 * status is `model_not_found`.
 */
import { SignalboxError } from '../../contracts/errors.ts';
import {
  mapUpstreamError,
  parseJsonSafely,
  type ResponseHeaders,
} from '../shared/map-upstream-error.ts';
import { openAIErrorBodySchema } from './openai-api.ts';

/** The adapter's `parseError` hook. */
export function parseOpenAIError(
  status: number,
  body: Buffer,
  headers: ResponseHeaders,
): SignalboxError {
  const parsed = openAIErrorBodySchema.safeParse(parseJsonSafely(body));
  const error = parsed.success ? parsed.data.error : undefined;
  const mapped = mapUpstreamError(status, { message: error?.message ?? null }, headers);
  if (error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota') {
    return new SignalboxError('upstream_insufficient_credits', mapped.message, {
      upstreamStatus: status,
    });
  }
  if (error?.code === 'model_not_found' && mapped.code !== 'model_not_found') {
    return new SignalboxError('model_not_found', mapped.message, { upstreamStatus: status });
  }
  return mapped;
}
