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

async function firstEvent(
  iterator: AsyncIterator<ChunkEvent>,
  upstream: UpstreamStream,
  timeoutMs: number,
): Promise<IteratorResult<ChunkEvent>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      upstream.close();
      reject(
        new SignalboxError(
          'upstream_timeout',
          'The upstream sent no token before the time-to-first-token deadline.',
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([iterator.next(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Opens the stream and peeks its first event.
 * @param ttftMs time-to-first-token deadline, counted from dispatch (`attempt.startedAt`)
 * @throws SignalboxError before the commit point; the upstream is closed by then.
 */
export async function openStreamAttempt(
  services: GatewayServices,
  adapter: ProviderAdapter,
  attempt: OpenAttempt,
  request: ChatCompletionRequest,
  callOptions: CallOptions,
  ttftMs: number,
): Promise<StreamExecution> {
  const upstream = await adapter.openStream(request, callOptions);
  const iterator = upstream[Symbol.asyncIterator]();
  let first: IteratorResult<ChunkEvent>;
  try {
    const left = Math.max(1, attempt.startedAt + ttftMs - services.now());
    first = await firstEvent(iterator, upstream, left);
    if (first.done === true) {
      throw new SignalboxError(
        'upstream_invalid_response',
        'The upstream stream ended before any content.',
      );
    }
    if (first.value.error !== undefined) throw first.value.error;
  } catch (error) {
    upstream.close();
    throw error;
  }
  return {
    kind: 'stream',
    attempt,
    upstream,
    first: first.value,
    rest: iterator,
    ttftMs: services.now() - attempt.startedAt,
    generationId: upstream.generationId ?? first.value.chunk.id,
  };
}
