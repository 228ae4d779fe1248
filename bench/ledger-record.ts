/**
 * The ledger record the benchmarks write: one the gateway really settled, read from
 * `bench/fixtures/gateway-ledger-record.jsonl` — the journal line `bench/gateway-server.ts`
 * (PGlite, master key) wrote for the benchmark's own request (`openai/gpt-4o`, "Say hello.",
 * non-streamed) against the emulator on 2026-12-01: one successful attempt, provider-reported
 * cost, and the routing decision the router stored with it (~550 bytes of JSON).
 */
import { readFileSync } from 'node:fs';
import type { RequestRecord } from '../src/contracts/ledger.ts';
import { decodeJournalEntry } from '../src/usage/ledger-journal-codec.ts';

const entry = decodeJournalEntry(
  readFileSync(new URL('fixtures/gateway-ledger-record.jsonl', import.meta.url), 'utf8').trim(),
);
if (entry.kind !== 'record') throw new Error('gateway-ledger-record.jsonl: not a settled record');
const recorded = entry.record;

/**
 * The recorded request under another `id`, created (and its attempts started) at `createdAt`,
 * with `overrides` applied to the request (its attempts keep theirs).
 */
export function benchRecord(
  id: string,
  createdAt: Date,
  overrides: Partial<Omit<RequestRecord, 'id' | 'createdAt' | 'attempts'>> = {},
): RequestRecord {
  return {
    ...recorded,
    ...overrides,
    id,
    createdAt,
    attempts: recorded.attempts.map((attempt) => ({
      ...attempt,
      generationId: overrides.generationId ?? attempt.generationId,
      startedAt: createdAt,
    })),
  };
}
