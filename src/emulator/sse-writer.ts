/**
 * Writes an SSE script to a response, one socket write per event, yielding to the event loop
 * between events (so a client sees them arrive one by one) and honouring back-pressure. Applies
 * the stream faults: delay before the first data chunk and between chunks, stall, connection
 * reset, in-band error, malformed event.
 */
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Usage } from '../contracts/chat.ts';
import type { Fault } from './emulator-types.ts';
import { delay, drainOrClose, isClosed } from './http-io.ts';
import {
  DONE_EVENT,
  errorChunkEvent,
  malformedChunkEvent,
  type InBandError,
  type SseScript,
} from './sse-script.ts';

/** How a written stream ended. */
export interface SseWriteResult {
  ending: 'complete' | 'error-chunk' | 'stalled' | 'reset' | 'client-closed' | 'malformed';
  /** The last usage actually written, null when none was. */
  usage: Usage | null;
  /** Data chunks written (the malformed one not counted). */
  dataChunksSent: number;
  /** Whether an `error` chunk was written (programmed or recorded). */
  inBandError: boolean;
}

/** The stream-related part of a fault. */
export type StreamFault = Pick<
  Fault,
  | 'delayBeforeFirstTokenMs'
  | 'delayBetweenChunksMs'
  | 'stallAfterChunks'
  | 'resetAfterChunks'
  | 'errorChunkAfterChunks'
  | 'malformedChunkAfterChunks'
  | 'body'
>;

const DEFAULT_IN_BAND_ERROR: InBandError = {
  code: 502,
  message: 'Provider disconnected unexpectedly',
};

function inBandErrorOf(body: unknown): InBandError {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== 'object' || error === null) return DEFAULT_IN_BAND_ERROR;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(error as Record<string, unknown>),
    code: typeof code === 'number' || typeof code === 'string' ? code : 502,
    message: typeof message === 'string' ? message : DEFAULT_IN_BAND_ERROR.message,
  };
}

/** Called right after a chunk carrying `usage` was written (before `[DONE]`), so the ledger is current. */
export type UsageListener = (usage: Usage, inBandError: boolean) => void;

/**
 * Writes `script` (headers must already be sent). Resolves when the stream ended, stalled, was
 * reset or the client went away. A stalled response is left open; the server closes it on shutdown.
 */
export async function writeSseScript(
  response: ServerResponse,
  script: SseScript,
  fault: StreamFault = {},
  onUsage: UsageListener = () => undefined,
): Promise<SseWriteResult> {
  let dataSent = 0;
  let usage: Usage | null = null;
  let inBandError = false;
  for (const event of script.events) {
    if (isClosed(response))
      return { ending: 'client-closed', usage, inBandError, dataChunksSent: dataSent };
    if (event.kind !== 'comment') {
      const waiting = delay(
        dataSent === 0 ? fault.delayBeforeFirstTokenMs : fault.delayBetweenChunksMs,
        response,
      );
      if (waiting !== null) {
        await waiting;
        if (isClosed(response))
          return { ending: 'client-closed', usage, inBandError, dataChunksSent: dataSent };
      }
      if (fault.stallAfterChunks === dataSent)
        return { ending: 'stalled', usage, inBandError, dataChunksSent: dataSent };
      if (fault.resetAfterChunks === dataSent) {
        response.socket?.destroy();
        response.destroy();
        return { ending: 'reset', usage, inBandError, dataChunksSent: dataSent };
      }
      if (fault.malformedChunkAfterChunks === dataSent) {
        response.end(malformedChunkEvent(script.header).text);
        return { ending: 'malformed', usage, inBandError, dataChunksSent: dataSent };
      }
      if (fault.errorChunkAfterChunks === dataSent) {
        const errorEvent = errorChunkEvent(
          script.header,
          inBandErrorOf(fault.body),
          script.usageAfter(dataSent),
        );
        response.write(errorEvent.text);
        if (errorEvent.usage !== undefined) onUsage(errorEvent.usage, true);
        response.end(DONE_EVENT.text);
        return {
          ending: 'error-chunk',
          usage: errorEvent.usage ?? usage,
          inBandError: true,
          dataChunksSent: dataSent,
        };
      }
    }
    const flushed = response.write(event.text);
    if (event.kind === 'data') {
      dataSent += 1;
      if (event.text.includes('"error":{')) inBandError = true;
      if (event.usage !== undefined) {
        usage = event.usage;
        onUsage(usage, inBandError);
      }
    }
    if (flushed) await nextTurn();
    else await drainOrClose(response);
  }
  if (isClosed(response))
    return { ending: 'client-closed', usage, inBandError, dataChunksSent: dataSent };
  response.end();
  return { ending: 'complete', usage, inBandError, dataChunksSent: dataSent };
}
