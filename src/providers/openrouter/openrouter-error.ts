/**
 * OpenRouter error bodies → SignalboxError (via shared/map-upstream-error.ts).
 * OpenRouter specifics (docs/upstream-api-notes.md §1.8, real bodies in __fixtures__): "Provider returned error"
 * hides the provider's message in `metadata.raw`, which is appended when short; a 403 carrying
 * `metadata.reasons` is a moderation block, not an auth failure.
 */
import type { SignalboxError } from '../../contracts/errors.ts';
import {
  mapUpstreamError,
  parseJsonSafely,
  type ResponseHeaders,
  type UpstreamErrorDetails,
} from '../shared/map-upstream-error.ts';
import { openRouterErrorBodySchema } from './openrouter-api.ts';

const PROVIDER_RETURNED_ERROR = 'Provider returned error';

/** Reads message, provider detail and moderation flag from any value; empty when it is not an error body. */
export function readOpenRouterErrorDetails(body: unknown): UpstreamErrorDetails {
  const parsed = openRouterErrorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { message, metadata } = parsed.data.error;
  const details: UpstreamErrorDetails = {};
  if (message !== undefined) details.message = message;
  if (metadata !== null && metadata !== undefined) {
    if (message === PROVIDER_RETURNED_ERROR && typeof metadata.raw === 'string')
      details.detail = metadata.raw;
    if (metadata.reasons !== undefined) details.contentFiltered = true;
  }
  return details;
}

/**
 * The adapter's `parseError` hook.
 * @param status HTTP status, or the body's `error.code` when OpenRouter answered 200 with an error
 * @param body the raw body bytes (not JSON → a fixed message)
 */
export function parseOpenRouterError(
  status: number,
  body: Buffer,
  headers: ResponseHeaders,
): SignalboxError {
  return mapUpstreamError(status, readOpenRouterErrorDetails(parseJsonSafely(body)), headers);
}
