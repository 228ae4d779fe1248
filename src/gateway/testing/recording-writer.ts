/**
 * A ResponseWriter for the pipeline's unit tests that records what the client received, and
 * whose client can fill its buffer (`write` returns false until `drain()`) or leave. Test
 * support only.
 */
import type { ChatCompletion } from '../../contracts/chat.ts';
import { SignalboxError } from '../../contracts/errors.ts';
import type { ChunkEvent } from '../../providers/index.ts';
import type { ChunkWriter, ResponseWriter } from '../response-writer.ts';

/** What the client received, as a recording ResponseWriter saw it. */
export interface RecordingWriter extends ResponseWriter {
  /** `json`, `stream` or `error` once the pipeline answered; null before. */
  kind: 'json' | 'stream' | 'error' | null;
  /** Calls of json / startStream / error (exactly one is expected). */
  answers: number;
  headers: Record<string, string>;
  completion: ChatCompletion | null;
  body: string | null;
  failure: SignalboxError | null;
  readonly events: ChunkEvent[];
  ended: boolean;
  /** Writes after `end()` or after the client left (must stay 0). */
  writesAfterEnd: number;
  /** ms since the epoch at which the answer started / the stream ended. */
  answeredAt: number | null;
  endedAt: number | null;
  /** From now on `write` reports a full buffer until `drain()`. */
  block(): void;
  /** Empties the buffer: `drained()` resolves. */
  drain(): void;
  /** The client leaves (closes its connection): aborts `abort` as the HTTP route does. */
  disconnect(): void;
}

export function createRecordingWriter(abort: AbortController): RecordingWriter {
  let blocked = false;
  let open = true;
  let waiters: (() => void)[] = [];
  const release = (): void => {
    const pending = waiters;
    waiters = [];
    for (const resolve of pending) resolve();
  };
  const chunks: ChunkWriter = {
    write(event) {
      if (!open || writer.ended) {
        writer.writesAfterEnd += 1;
        return true;
      }
      writer.events.push(event);
      return !blocked;
    },
    drained() {
      if (!blocked || !open) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    end() {
      if (writer.ended) writer.writesAfterEnd += 1;
      writer.ended = true;
      writer.endedAt = Date.now();
    },
    get open() {
      return open;
    },
  };
  const writer: RecordingWriter = {
    kind: null,
    answers: 0,
    headers: {},
    completion: null,
    body: null,
    failure: null,
    events: [],
    ended: false,
    writesAfterEnd: 0,
    answeredAt: null,
    endedAt: null,
    json(completion, body, headers) {
      writer.answers += 1;
      writer.kind = 'json';
      writer.completion = completion;
      writer.body = typeof body === 'string' ? body : body.toString('utf8');
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      writer.endedAt = writer.answeredAt;
    },
    startStream(headers) {
      writer.answers += 1;
      writer.kind = 'stream';
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      return chunks;
    },
    error(failure, headers) {
      writer.answers += 1;
      writer.kind = 'error';
      writer.failure = failure;
      writer.headers = { ...headers };
      writer.answeredAt = Date.now();
      writer.endedAt = writer.answeredAt;
    },
    block() {
      blocked = true;
    },
    drain() {
      blocked = false;
      release();
    },
    disconnect() {
      open = false;
      release();
      abort.abort(new SignalboxError('client_closed_request', 'The client closed the connection.'));
    },
  };
  return writer;
}

/** The text a stream delivered (content deltas joined). */
export function streamedText(events: readonly ChunkEvent[]): string {
  return events
    .flatMap((event) => event.chunk.choices.map((choice) => choice.delta.content ?? ''))
    .join('');
}
