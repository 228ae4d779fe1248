/**
 * Writes a dialect's SSE events, one socket write per event, yielding to the event loop between
 * events and honouring back-pressure, with the stream faults of `Fault`: delay before the first
 * event, stall, connection reset, an in-band error in the dialect's own way (Anthropic
 * `event: error`, OpenAI an error chunk; Gemini has none, so its stream is cut short), and a
 * malformed event (the next event with its JSON cut in half, then the end of the body).
 */
import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Usage } from '../../contracts/chat.ts';
import type { Fault } from '../emulator-types.ts';
import { delay, drainOrClose, isClosed } from '../http-io.ts';
import type { DialectStreamEvent } from './dialect-types.ts';

/** How a written stream ended. */
export interface DialectStreamResult {
  ending: 'complete' | 'in-band-error' | 'stalled' | 'reset' | 'client-closed' | 'malformed';
  /** The last usage actually written, null when none was. */
  usage: Usage | null;
}

/** `text` (one SSE event) with the JSON of its data cut in half, still framed as an event. */
function malformed(text: string): string {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return 'data: {\n\n';
  return `${text.slice(0, start + Math.ceil((end - start) / 2))}\n\n`;
}

/**
 * Writes `events` (headers already sent). `inBandError` is the error event to send for
 * `fault.errorChunkAfterChunks` (null: end the stream there). `onUsage` runs after each event
 * carrying usage is written, so the ledger is current while the stream is open.
 */
export async function writeDialectStream(
  response: ServerResponse,
  events: readonly DialectStreamEvent[],
  fault: Fault,
  inBandError: string | null,
  onUsage: (usage: Usage) => void,
): Promise<DialectStreamResult> {
  let usage: Usage | null = null;
  for (const [sent, event] of events.entries()) {
    if (isClosed(response)) return { ending: 'client-closed', usage };
    const waiting = delay(
      sent === 0 ? fault.delayBeforeFirstTokenMs : fault.delayBetweenChunksMs,
      response,
    );
    if (waiting !== null) {
      await waiting;
      if (isClosed(response)) return { ending: 'client-closed', usage };
    }
    if (fault.stallAfterChunks === sent) return { ending: 'stalled', usage };
    if (fault.resetAfterChunks === sent) {
      response.socket?.destroy();
      response.destroy();
      return { ending: 'reset', usage };
    }
    if (fault.errorChunkAfterChunks === sent) {
      response.end(inBandError ?? undefined);
      return { ending: 'in-band-error', usage };
    }
    if (fault.malformedChunkAfterChunks === sent) {
      response.end(malformed(event.text));
      return { ending: 'malformed', usage };
    }
    const flushed = response.write(event.text);
    if (event.usage !== undefined) {
      usage = event.usage;
      onUsage(usage);
    }
    if (flushed) await nextTurn();
    else await drainOrClose(response);
  }
  if (isClosed(response)) return { ending: 'client-closed', usage };
  response.end();
  return { ending: 'complete', usage };
}
