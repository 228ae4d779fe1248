/**
 * The opt-in graceful reply (`SIGNALBOX_FALLBACK_REPLY`): when every candidate failed, the
 * client gets an ordinary assistant message with the operator's text instead of an error,
 * marked by the `x-signalbox-fallback-reply: true` header and the ledger status `fallback_reply`.
 * No upstream produced it, so it has no usage and costs nothing.
 */
import type { ChatCompletion, ChatCompletionChunk } from '../contracts/chat.ts';
import type { ChunkEvent } from '../providers/index.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';
import type { ResponseWriter } from './response-writer.ts';

function requestedModel(context: RequestContext): string {
  return context.plan?.decision.requested_model ?? context.body?.request.model ?? '';
}

/** The reply as a completion (`id` `fallback-<request id>`). */
export function fallbackCompletion(
  context: RequestContext,
  text: string,
  created: number,
): ChatCompletion {
  return {
    id: `fallback-${context.id}`,
    object: 'chat.completion',
    created,
    model: requestedModel(context),
    system_fingerprint: null,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

function chunk(
  context: RequestContext,
  created: number,
  extra: Partial<ChatCompletionChunk>,
): ChunkEvent {
  const value: ChatCompletionChunk = {
    id: `fallback-${context.id}`,
    object: 'chat.completion.chunk',
    created,
    model: requestedModel(context),
    choices: [],
    ...extra,
  };
  return { chunk: value, raw: null, usage: value.usage ?? null };
}

/** Sends the reply (JSON or a three-event stream) and records the result. */
export function deliverFallbackReply(
  context: RequestContext,
  services: GatewayServices,
  writer: ResponseWriter,
  text: string,
): void {
  const created = Math.floor(services.now() / 1000);
  context.responseHeaders['x-signalbox-fallback-reply'] = 'true';
  if (context.stream) {
    const chunks = writer.startStream(context.responseHeaders);
    chunks.write(
      chunk(context, created, {
        choices: [{ index: 0, delta: { role: 'assistant', content: text }, finish_reason: null }],
      }),
    );
    chunks.write(
      chunk(context, created, {
        choices: [{ index: 0, delta: {}, finish_reason: 'stop' }],
        usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
      }),
    );
    chunks.end();
  } else {
    const completion = fallbackCompletion(context, text, created);
    writer.json(completion, JSON.stringify(completion), context.responseHeaders);
  }
  context.result = {
    status: 'fallback_reply',
    httpStatus: 200,
    ttftMs: services.now() - context.receivedAt,
    error: null,
  };
}
