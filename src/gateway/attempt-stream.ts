/**
 * One streaming upstream attempt up to the commit point: open the stream and wait for its
 * first content event, within the time-to-first-token deadline. Until that event arrives
 * nothing has reached the client, so a failure here (HTTP error, in-band error, a stall past
 * the deadline, an empty stream) can still be retried or fall back invisibly.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import { SignalboxError } from '../contracts/errors.ts';
import type {
  CallOptions,
  ChunkEvent,
  ProviderAdapter,
  UpstreamStream,
} from '../providers/index.ts';
import type { OpenAttempt } from './attempt-tracker.ts';
import type { StreamExecution } from './execution.ts';
import type { GatewayServices } from './gateway-services.ts';

/** `next()` of `iterator`, or a rejection with the signal's reason if it aborts first. */
async function nextUnlessAborted(
  iterator: AsyncIterator<ChunkEvent>,
  signal: AbortSignal,
): Promise<IteratorResult<ChunkEvent>> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([iterator.next(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Opens the stream and peeks its first event.
 * @param ttftMs time-to-first-token deadline, counted from dispatch (`attempt.startedAt`)
 * @throws SignalboxError before the commit point (`upstream_timeout` past `ttftMs`); the upstream
 *   is closed by then.
 */
export async function openStreamAttempt(
  services: GatewayServices,
  adapter: ProviderAdapter,
  attempt: OpenAttempt,
  request: ChatCompletionRequest,
  callOptions: CallOptions,
  ttftMs: number,
): Promise<StreamExecution> {
  // One precise timer covers the headers and the first event. The adapter's own first-byte
  // timeout (undici's headersTimeout) ticks in steps of about half a second for timeouts over a
  // second, which would let a candidate that never answers hold the client up to 0.5 s past the
  // time-to-first-token deadline before the next candidate is tried.
  const ttft = new AbortController();
  const timer = setTimeout(
    () => {
      ttft.abort(
        new SignalboxError(
          'upstream_timeout',
          'The upstream sent no token before the time-to-first-token deadline.',
        ),
      );
    },
    Math.max(1, attempt.startedAt + ttftMs - services.now()),
  );
  const signal =
    callOptions.signal === undefined
      ? ttft.signal
      : AbortSignal.any([callOptions.signal, ttft.signal]);
  let upstream: UpstreamStream | null = null;
  try {
    const opened = await adapter.openStream(request, { ...callOptions, signal });
    upstream = opened;
    const iterator = opened[Symbol.asyncIterator]();
    const first = await nextUnlessAborted(iterator, signal);
    if (first.done === true) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'The upstream stream ended before any content.',
      );
    }
    if (first.value.error !== undefined) throw first.value.error;
    return {
      kind: 'stream',
      attempt,
      upstream: opened,
      first: first.value,
      rest: iterator,
      ttftMs: services.now() - attempt.startedAt,
      generationId: opened.generationId ?? first.value.chunk.id,
    };
  } catch (error) {
    upstream?.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
