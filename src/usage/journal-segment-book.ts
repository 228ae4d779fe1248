/**
 * Which journal segments may be deleted (ADR 0003, 0007). A segment counts the items it holds a
 * line of — a record not yet committed, or a request begun and not yet settled and committed —
 * once per item, whatever the number of that item's lines in it. A rotated-out segment whose
 * count is 0 may go; anything else stays on disk for the next start to replay.
 */
import type { JournalSegment } from './ledger-journal.ts';

export interface TrackedSegment {
  segment: JournalSegment;
  /** Items holding a line in it, not yet settled and committed. */
  uncommitted: number;
  /** Rotated out: no more appends, so it may be deleted once `uncommitted` is 0. */
  closed: boolean;
  /** A line could not be read at start: kept as `*.damaged` instead of deleted. */
  damaged: boolean;
  /** fdatasync'ed since it was closed. */
  synced: boolean;
}

export interface SegmentBook {
  /** The entry of `segment`, created open and empty on first sight. */
  track(segment: JournalSegment): TrackedSegment;
  /** Counts an item in `segment` unless `held` (the item's sequences) already has it. */
  hold(held: Set<number>, segment: JournalSegment): void;
  /** Counts an item in each of `sequences` (replayed items, whose segments are known). */
  holdAll(sequences: readonly number[]): void;
  /** An item is settled and committed: uncounts it from each of its segments. */
  release(sequences: readonly number[]): void;
  /** Removes and returns the closed segments nothing holds any more. */
  takeRemovable(): TrackedSegment[];
  /** Marks and returns the closed segments not yet fdatasynced. */
  takeUnsynced(): JournalSegment[];
}

export function createSegmentBook(): SegmentBook {
  const segments = new Map<number, TrackedSegment>();
  const track = (segment: JournalSegment): TrackedSegment => {
    let tracked = segments.get(segment.sequence);
    if (tracked === undefined) {
      tracked = { segment, uncommitted: 0, closed: false, damaged: false, synced: false };
      segments.set(segment.sequence, tracked);
    }
    return tracked;
  };
  const add = (sequences: readonly number[], delta: number): void => {
    for (const sequence of sequences) {
      const tracked = segments.get(sequence);
      if (tracked !== undefined) tracked.uncommitted += delta;
    }
  };
  return {
    track,
    hold(held, segment) {
      if (held.has(segment.sequence)) return;
      held.add(segment.sequence);
      track(segment).uncommitted += 1;
    },
    holdAll: (sequences) => {
      add(sequences, 1);
    },
    release: (sequences) => {
      add(sequences, -1);
    },
    takeRemovable() {
      const removable = [...segments.values()].filter(
        (tracked) => tracked.closed && tracked.uncommitted <= 0,
      );
      for (const tracked of removable) segments.delete(tracked.segment.sequence);
      return removable;
    },
    takeUnsynced() {
      const unsynced = [...segments.values()].filter(
        (tracked) => tracked.closed && !tracked.synced,
      );
      for (const tracked of unsynced) tracked.synced = true;
      return unsynced.map((tracked) => tracked.segment);
    },
  };
}
