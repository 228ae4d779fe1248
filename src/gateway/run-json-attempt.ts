/**
 * One non-streaming upstream attempt. The upstream's bytes are forwarded unchanged when they
 * already satisfy both OpenAI's and OpenRouter's response schemas; OpenRouter's
 * `ChatResult` requires `system_fingerprint` (nullable), which some upstreams leave out, so
 * only then is the body re-serialised with `system_fingerprint: null`.
 */
import type { ChatCompletionRequest, Usage } from '../contracts/chat.ts';
import type { ProviderAdapter } from '../providers/index.ts';

export interface JsonAttemptResult {
  body: Buffer | string;
  usage: Usage | null;
  servedModel: string | null;
  generationId: string | null;
  firstByteMs: number;
}

export async function runJsonAttempt(
  adapter: ProviderAdapter,
  request: ChatCompletionRequest,
  rawBody: Buffer | undefined,
  signal: AbortSignal,
  /** crash-accounting: CallOptions.onGeneration. */
  onGeneration?: (generationId: string) => void,
): Promise<JsonAttemptResult> {
  const result = await adapter.chat(request, {
    signal,
    ...(rawBody === undefined ? {} : { rawBody }),
    ...(onGeneration === undefined ? {} : { onGeneration }),
  });
  const completion = result.completion;
  const hasFingerprint = 'system_fingerprint' in completion;
  const body: Buffer | string =
    result.raw !== null && hasFingerprint
      ? result.raw
      : JSON.stringify(
          hasFingerprint ? completion : Object.assign({}, completion, { system_fingerprint: null }),
        );
  return {
    body,
    usage: completion.usage ?? null,
    servedModel: typeof completion.model === 'string' ? completion.model : null,
    generationId: result.generationId ?? (typeof completion.id === 'string' ? completion.id : null),
    firstByteMs: result.firstByteMs,
  };
}
