/**
 * Stage 5, deliver: the one owner of what the client receives. A JSON answer goes out whole; a
 * stream is committed (status and headers), then relayed event by event as the upstream sends
 * them, pausing the upstream while the client's buffer is full (backpressure). After the commit
 * a failure can no longer change the status: the stream ends with an in-band error event, then
 * `[DONE]` — never silently truncated.
 */
import type { ChatCompletionChunk, Usage } from '../contracts/chat.ts';
import { SignalboxError, toSignalboxError } from '../contracts/errors.ts';
import type { ChunkEvent } from '../providers/index.ts';
import { finishAttempt } from './attempt-tracker.ts';
import type { Execution, StreamExecution } from './execution.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';
import type { ResponseWriter } from './response-writer.ts';

/** The in-band error event a committed stream ends with (OpenRouter's mid-stream error shape). */
export function errorEvent(reference: ChatCompletionChunk, error: SignalboxError): ChunkEvent {
  return {
    chunk: {
      id: reference.id,
      object: 'chat.completion.chunk',
      created: reference.created,
      model: reference.model,
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
      error: { code: error.code, message: error.message },
    },
    raw: null,
    usage: null,
    error,
  };
}

/** The model the last event names (its chunk parsed if it was not yet); null if unreadable. */
function servedModelOf(event: ChunkEvent): string | null {
  try {
    return typeof event.chunk.model === 'string' ? event.chunk.model : null;
  } catch {
    return null;
  }
}

async function deliverStream(
  context: RequestContext,
  services: GatewayServices,
  execution: StreamExecution,
  writer: ResponseWriter,
): Promise<void> {
  const { upstream, first, rest } = execution;
  if (execution.generationId !== null)
    context.responseHeaders['x-generation-id'] = execution.generationId;
  const chunks = writer.startStream(context.responseHeaders);
  const ttftMs = services.now() - context.receivedAt;
  // Events are relayed as they came; only the few that can hold usage, an error or a finish
  // reason were parsed by the adapter, so only `usage` and `error` are read here.
  let last = first;
  let usage: Usage | null = first.usage;
  let failure: SignalboxError | null = null;
  let writable = chunks.write(first);
  try {
    for (;;) {
      if (!writable) await chunks.drained();
      if (!chunks.open) {
        failure = new SignalboxError('client_closed_request', 'The client closed the stream.');
        break;
      }
      const next = await rest.next();
      if (next.done === true) break;
      const event = next.value;
      last = event;
      if (event.usage !== null) usage = event.usage;
      if (event.error !== undefined) failure = event.error;
      writable = chunks.write(event);
    }
  } catch (error) {
    failure = toSignalboxError(error);
    if (chunks.open && failure.code !== 'client_closed_request')
      chunks.write(errorEvent(first.chunk, failure));
  } finally {
    upstream.close();
  }
  chunks.end();
  finishAttempt(context, services, execution.attempt, {
    status: failure?.code ?? 'success',
    upstreamStatus: 200,
    servedModel: servedModelOf(last),
    generationId: execution.generationId,
    ttftMs: execution.ttftMs,
    usage,
  });
  context.result = { status: failure?.code ?? 'success', httpStatus: 200, ttftMs, error: failure };
}

/** Sends the execution's answer through `writer` and records how the request ended. */
export async function deliver(
  context: RequestContext,
  services: GatewayServices,
  execution: Execution,
  writer: ResponseWriter,
): Promise<void> {
  if (execution.kind === 'stream') {
    await deliverStream(context, services, execution, writer);
    return;
  }
  const served = context.attempts.at(-1);
  writer.json(execution.completion, execution.body, context.responseHeaders);
  context.result = {
    status: 'success',
    httpStatus: 200,
    ttftMs:
      served === undefined
        ? null
        : served.startedAt.getTime() + (served.ttftMs ?? 0) - context.receivedAt,
    error: null,
  };
}
