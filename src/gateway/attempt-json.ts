/**
 * One non-streaming upstream attempt. The upstream's bytes are forwarded unchanged when they
 * already satisfy both OpenAI's and OpenRouter's response schemas; OpenRouter's `ChatResult`
 * requires `system_fingerprint` (nullable), which some upstreams leave out, so only then is the
 * body re-serialised with `system_fingerprint: null`.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { CallOptions, ProviderAdapter } from '../providers/index.ts';
import { finishAttempt, type OpenAttempt } from './attempt-tracker.ts';
import type { JsonExecution } from './execution.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/**
 * Runs the attempt and records it as a success; the generation id goes to the response headers.
 * @throws SignalboxError from the adapter (the caller records the failed attempt).
 */
export async function runJsonAttempt(
  context: RequestContext,
  services: GatewayServices,
  adapter: ProviderAdapter,
  attempt: OpenAttempt,
  request: ChatCompletionRequest,
  callOptions: CallOptions,
): Promise<JsonExecution> {
  const result = await adapter.chat(request, callOptions);
  const hasFingerprint = 'system_fingerprint' in result.completion;
  const completion = hasFingerprint
    ? result.completion
    : Object.assign({}, result.completion, { system_fingerprint: null });
  const body: Buffer | string =
    result.raw !== null && hasFingerprint ? result.raw : JSON.stringify(completion);
  const generationId =
    result.generationId ?? (typeof completion.id === 'string' ? completion.id : null);
  finishAttempt(context, services, attempt, {
    status: 'success',
    upstreamStatus: 200,
    servedModel: typeof completion.model === 'string' ? completion.model : null,
    generationId,
    ttftMs: result.firstByteMs,
    usage: completion.usage ?? null,
  });
  if (generationId !== null) context.responseHeaders['x-generation-id'] = generationId;
  return { kind: 'json', completion, body };
}
