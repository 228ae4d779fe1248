/**
 * What `execute` hands `deliver`: a whole JSON answer, or a stream whose first content event
 * already arrived (the commit point is the next step) with the attempt still open.
 */
import type { ChatCompletion } from '../contracts/chat.ts';
import type { ChunkEvent, UpstreamStream } from '../providers/index.ts';
import type { OpenAttempt } from './attempt-tracker.ts';

export interface JsonExecution {
  kind: 'json';
  completion: ChatCompletion;
  /** The exact bytes to send: the upstream's own when they need no change. */
  body: Buffer | string;
}

export interface StreamExecution {
  kind: 'stream';
  attempt: OpenAttempt;
  upstream: UpstreamStream;
  /** The first content event, peeked before the commit point. */
  first: ChunkEvent;
  /** The events after `first`. */
  rest: AsyncIterator<ChunkEvent>;
  /** From dispatch to `first`, ms. */
  ttftMs: number;
  generationId: string | null;
}

export type Execution = JsonExecution | StreamExecution;
