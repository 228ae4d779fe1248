/**
 * Where the pipeline's typed outcome goes. The `deliver` stage is its only caller; the HTTP
 * layer (src/http/chat-response-writer.ts) writes bytes to the socket, the library
 * (src/signalbox.ts) hands the same objects to its caller without re-parsing anything.
 */
import type { ChatCompletion } from '../contracts/chat.ts';
import type { SignalboxError } from '../contracts/errors.ts';
import type { ChunkEvent } from '../providers/index.ts';

export interface ResponseWriter {
  /**
   * A whole JSON answer: the parsed completion and the exact bytes to send (the upstream's own
   * when nothing had to change). Headers are the request's response headers.
   */
  json(completion: ChatCompletion, body: Buffer | string, headers: Record<string, string>): void;
  /** The stream's commit point: status 200 and headers go out; events follow. */
  startStream(headers: Record<string, string>): ChunkWriter;
  /** An error before any byte of the answer was sent (OpenAI-shaped body, the headers kept). */
  error(failure: SignalboxError, headers: Record<string, string>): void;
}

/** The events of a committed stream. */
export interface ChunkWriter {
  /**
   * Writes one event (`raw` when present, else the serialised `chunk`). Returns false when the
   * client's buffer is full: wait for `drained()` before writing more (backpressure).
   */
  write(event: ChunkEvent): boolean;
  /** Resolves once the client can take more, or has gone away. */
  drained(): Promise<void>;
  /** Ends the stream (`data: [DONE]`); does nothing when the client has gone. */
  end(): void;
  /** False once the client has gone away. */
  readonly open: boolean;
}
