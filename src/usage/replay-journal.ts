/**
 * What a crashed process's journal segments come to at the next start (ADR 0003, 0007): every
 * settled record, and one `interrupted` record per request that was begun and never settled.
 * A request's settled record supersedes its intents wherever they lie, so a request is stored
 * once; and since inserts skip an id already stored, an intent whose record was committed (its
 * segment deleted) before the crash yields nothing either.
 */
import type { RequestRecord } from '../contracts/ledger.ts';
import type { AttemptIntent } from './attempt-intent.ts';
import { interruptedRecord } from './interrupted-requests.ts';
import type { GenerationNote } from './ledger-journal-codec.ts';
import type { LeftoverSegment } from './ledger-journal.ts';

export interface ReplayItem {
  record: RequestRecord;
  /** Sequences of the leftover segments that hold this record's lines. */
  segments: readonly number[];
}

export interface Replay {
  /** Records to insert, each with the segments it keeps until committed. */
  items: ReplayItem[];
  /** The `interrupted` records among them. */
  recovered: RequestRecord[];
}

interface Unsettled {
  intents: AttemptIntent[];
  generations: GenerationNote[];
  segments: Set<number>;
}

/** Reads leftover segments (oldest first) into the records to insert. Pure. */
export function replayLeftovers(leftovers: readonly LeftoverSegment[]): Replay {
  const items: ReplayItem[] = [];
  const settled = new Set<string>();
  for (const leftover of leftovers) {
    for (const record of leftover.records) {
      settled.add(record.id);
      items.push({ record, segments: [leftover.segment.sequence] });
    }
  }
  const unsettled = new Map<string, Unsettled>();
  const entry = (requestId: string, sequence: number): Unsettled | null => {
    if (settled.has(requestId)) return null;
    let found = unsettled.get(requestId);
    if (found === undefined) {
      found = { intents: [], generations: [], segments: new Set() };
      unsettled.set(requestId, found);
    }
    found.segments.add(sequence);
    return found;
  };
  for (const leftover of leftovers) {
    const sequence = leftover.segment.sequence;
    for (const intent of leftover.intents) entry(intent.requestId, sequence)?.intents.push(intent);
    for (const note of leftover.generations)
      entry(note.requestId, sequence)?.generations.push(note);
  }
  const recovered: RequestRecord[] = [];
  for (const request of unsettled.values()) {
    // A generation note without its intent cannot be rebuilt into anything: nothing to record.
    if (request.intents.length === 0) continue;
    const record = interruptedRecord(request.intents, request.generations);
    recovered.push(record);
    items.push({ record, segments: [...request.segments] });
  }
  return { items, recovered };
}
