/**
 * Reads a Chat Completions SSE body (OpenAI streaming format: `data: <chunk JSON>` events,
 * ending with `data: [DONE]`) into an UpstreamStream of ChunkEvents, one per event, yielded as
 * soon as its bytes arrive. Comments (OpenRouter's `: OPENROUTER PROCESSING`) are skipped.
 * Events keep their text for relaying; only the first one and those that can hold usage, an
 * error or a finish reason are parsed on arrival (chunk-event.ts).
 */
import type { Usage } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ChunkEvent, UpstreamStream } from '../provider-adapter.ts';
import type { UpstreamResponse } from './upstream-http.ts';
import { hasFinished, scanChunkEvent } from './chunk-event.ts';
import { createSseParser } from './sse-parser.ts';
import { createClosableStream, parseUpstreamEvent, type StreamState } from './upstream-client.ts';

export interface UpstreamEventStreamOptions {
  generationId: string | null;
  /** Rewrites `usage` in each chunk; a rewritten chunk's `raw` becomes null. */
  mapUsage?: ((usage: Usage) => Usage) | undefined;
}

const DONE = '[DONE]';

/**
 * Wraps an open 2xx SSE response. Iterating rejects with SignalboxError: `upstream_timeout`
 * (idle or total timeout), `stream_interrupted` (connection lost, or the body ended before
 * `[DONE]` and before any finish_reason), `upstream_invalid_response` (an event that is not a
 * chunk), `client_closed_request`. After `close()` iteration ends quietly.
 */
export function createUpstreamEventStream(
  response: UpstreamResponse,
  options: UpstreamEventStreamOptions,
): UpstreamStream {
  return createClosableStream(response, options.generationId, (state) =>
    readEvents(response, options, state),
  );
}

async function* readEvents(
  response: UpstreamResponse,
  options: UpstreamEventStreamOptions,
  state: StreamState,
): AsyncGenerator<ChunkEvent> {
  const isClosed = (): boolean => state.closed;
  const parser = createSseParser();
  let done = false;
  let finished = false;
  let first = true;
  try {
    // destroyOnReturn: false, so leaving the loop at [DONE] keeps the socket for keep-alive.
    for await (const bytes of response.body.iterator({ destroyOnReturn: false })) {
      for (const message of parser.push(bytes as Buffer)) {
        if (message.type === 'comment') continue;
        if (message.data === DONE) {
          done = true;
          break;
        }
        const event = parseUpstreamEvent(() =>
          scanChunkEvent(message.data, { parse: first, mapUsage: options.mapUsage }),
        );
        first = false;
        if (hasFinished(event)) finished = true;
        yield event;
      }
      if (done) break;
    }
  } catch (error) {
    if (isClosed()) return;
    throw response.toError(error, 'stream');
  } finally {
    // At [DONE] the rest of the body (normally just the end of the chunked encoding) is read
    // so the connection can be reused; after an early return or a failure it is cut.
    if (done && !isClosed()) response.drain();
    else response.discard();
    state.settled = true;
  }
  if (isClosed() || done) return;
  // A clean end without [DONE] is accepted once every choice had its say (some compatible
  // servers omit [DONE]); before that it is a truncated stream.
  if (!finished) {
    throw new SignalboxError('stream_interrupted', 'Upstream stream ended before it was complete.');
  }
}
