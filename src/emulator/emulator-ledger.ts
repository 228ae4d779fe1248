/**
 * What the emulator answered: the ledger entries (ground truth for accounting tests), per-key
 * spend in nano-USD (for /key and /credits) and generation records (for /generation).
 */
import type { Usage } from '../contracts/chat.ts';
import { reportedCostNanoUsd } from '../pricing/cost.ts';
import type { EmulatorLedgerEntry } from './emulator-types.ts';

export interface EmulatorLedger {
  /** The live entries array (cleared in place, so references stay valid). */
  readonly entries: EmulatorLedgerEntry[];
  /** Appends an entry for a request just received (status 0, no usage yet). */
  open(
    entry: Pick<EmulatorLedgerEntry, 'path' | 'model' | 'stream' | 'requestBody'>,
  ): EmulatorLedgerEntry;
  /** Records the usage sent on `entry` (replacing what it had) and counts its cost in `apiKey`'s spend. */
  recordUsage(entry: EmulatorLedgerEntry, usage: Usage | null, apiKey: string): void;
  /**
   * Bills `usage` for a generation cut short before its usage was sent: `entry.usage` and
   * `costNanoUsd` stay what was sent (nothing), `billedCostNanoUsd` and the spend count it.
   */
  recordBilledUsage(entry: EmulatorLedgerEntry, usage: Usage | null, apiKey: string): void;
  /** Spend of one key, nano-USD. */
  spentNanoUsd(apiKey: string): bigint;
  /** Spend of all keys, nano-USD. */
  totalSpentNanoUsd(): bigint;
  /** Keeps a `/generation` record (the spec's `data` object). */
  addGeneration(record: { id: string } & Record<string, unknown>): void;
  /** The record, once `lookupDelayMs` has passed since it was added; else undefined. */
  generation(id: string): Record<string, unknown> | undefined;
  /** Empties the entries and the spend totals. */
  clear(): void;
}

/**
 * A ledger keeping at most `limit` entries and generation records (oldest dropped first); a
 * generation record is found `lookupDelayMs` after it was added.
 */
export function createEmulatorLedger(limit: number, lookupDelayMs = 0): EmulatorLedger {
  const entries: EmulatorLedgerEntry[] = [];
  const spend = new Map<string, bigint>();
  const generations = new Map<string, { record: Record<string, unknown>; visibleAt: number }>();

  function bill(entry: EmulatorLedgerEntry, cost: bigint | null, apiKey: string): void {
    const previous = entry.billedCostNanoUsd === null ? 0n : BigInt(entry.billedCostNanoUsd);
    entry.billedCostNanoUsd = cost === null ? null : cost.toString();
    const delta = (cost ?? 0n) - previous;
    if (delta !== 0n) spend.set(apiKey, (spend.get(apiKey) ?? 0n) + delta);
  }

  // Trim in batches so dropping the oldest entries stays amortised O(1) per request.
  const slack = Math.max(1, Math.floor(limit / 10));
  return {
    entries,
    open(fields) {
      const entry: EmulatorLedgerEntry = {
        generationId: null,
        receivedAt: new Date().toISOString(),
        path: fields.path,
        model: fields.model,
        stream: fields.stream,
        status: 0,
        requestBody: fields.requestBody,
        usage: null,
        costNanoUsd: null,
        billedCostNanoUsd: null,
        recording: null,
        outcome: 'complete',
      };
      entries.push(entry);
      if (entries.length > limit + slack) entries.splice(0, entries.length - limit);
      return entry;
    },
    recordUsage(entry, usage, apiKey) {
      if (entry.usage === usage) return;
      entry.usage = usage;
      const cost = reportedCostNanoUsd(usage);
      entry.costNanoUsd = cost === null ? null : cost.toString();
      bill(entry, cost, apiKey);
    },
    recordBilledUsage(entry, usage, apiKey) {
      bill(entry, reportedCostNanoUsd(usage), apiKey);
    },
    spentNanoUsd: (apiKey) => spend.get(apiKey) ?? 0n,
    totalSpentNanoUsd: () => [...spend.values()].reduce((sum, value) => sum + value, 0n),
    addGeneration(record) {
      generations.set(record.id, { record, visibleAt: Date.now() + lookupDelayMs });
      if (generations.size > limit + slack) {
        for (const id of generations.keys()) {
          generations.delete(id);
          if (generations.size <= limit) break;
        }
      }
    },
    generation(id) {
      const found = generations.get(id);
      return found === undefined || found.visibleAt > Date.now() ? undefined : found.record;
    },
    clear() {
      entries.length = 0;
      spend.clear();
    },
  };
}
