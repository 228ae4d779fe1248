/**
 * `npm run bench:ledger`: CPU per request of the ledger journal (docs/decisions/0007), measured
 * with process.cpuUsage (all threads) over many requests against a database stub that accepts
 * every batch at once, so only the journal and its bookkeeping are counted:
 * - `write`: the settled record alone (what every request paid before crash accounting);
 * - `begin + noteGeneration + write`: one attempt's intent, its generation id, then the record;
 * - `cost bound`: the upper bound journaled with each intent (pricing arithmetic).
 * The record is one the gateway settled (bench/ledger-record.ts). Requests run one at a time
 * and 64 at once. Prints µs per request (median of 5 rounds).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RequestRecord } from '../src/contracts/ledger.ts';
import { loadSnapshotModels } from '../src/catalog/snapshot.ts';
import { maxAttemptCostNanoUsd } from '../src/usage/attempt-cost-bound.ts';
import { benchRecord } from './ledger-record.ts';
import {
  createLedgerWriter,
  type AttemptIntent,
  type LedgerWriter,
} from '../src/usage/ledger-writer.ts';

const REQUESTS = Number(
  process.argv.find((arg) => arg.startsWith('--requests='))?.slice(11) ?? 20_000,
);
const ROUNDS = 5;

/** The recorded gateway request (bench/ledger-record.ts), journaled under `id`. */
function record(id: string, now: Date): RequestRecord {
  return benchRecord(id, now);
}

function intent(id: string, now: Date): AttemptIntent {
  return {
    requestId: id,
    createdAt: now,
    model: 'openai/gpt-4o-mini',
    stream: true,
    attemptNumber: 0,
    provider: 'openrouter',
    upstreamModel: 'openai/gpt-4o-mini',
    canonicalModel: 'openai/gpt-4o-mini',
    startedAt: now,
    maxCostNanoUsd: 1_234_567n,
  };
}

type Step = (writer: LedgerWriter, id: string) => Promise<void>;

const settledOnly: Step = (writer, id) => writer.write(record(id, new Date()));
const withIntent: Step = async (writer, id) => {
  const now = new Date();
  await writer.begin(intent(id, now));
  writer.noteGeneration(id, 0, `gen-${id}`);
  await writer.write(record(id, now));
};

async function round(step: Step, concurrency: number, label: string): Promise<number> {
  const journalDir = await mkdtemp(path.join(tmpdir(), 'signalbox-bench-journal-'));
  const writer = await createLedgerWriter(
    { insertRequests: () => Promise.resolve() },
    { journalDir, syncIntervalMs: 1000 },
  );
  const started = process.cpuUsage();
  for (let sent = 0; sent < REQUESTS; sent += concurrency) {
    const batch = [];
    for (let index = 0; index < concurrency; index += 1)
      batch.push(step(writer, `${label}-${String(sent + index)}`));
    await Promise.all(batch);
  }
  await writer.flush();
  const used = process.cpuUsage(started);
  await writer.close();
  await rm(journalDir, { recursive: true, force: true });
  return (used.user + used.system) / REQUESTS;
}

function median(values: number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

const results: Record<string, number> = {};
for (const concurrency of [1, 64]) {
  const plain: number[] = [];
  const crash: number[] = [];
  for (let index = 0; index < ROUNDS; index += 1) {
    // Interleaved, so drift on a shared machine hits both alike.
    plain.push(await round(settledOnly, concurrency, `plain-${String(index)}`));
    crash.push(await round(withIntent, concurrency, `crash-${String(index)}`));
  }
  results[`write, ${String(concurrency)} at once`] = median(plain);
  results[`begin + noteGeneration + write, ${String(concurrency)} at once`] = median(crash);
}

const model = loadSnapshotModels().find((entry) => entry.id === 'openai/gpt-4o-mini');
const request = { messages: [{ role: 'user' as const, content: 'Hello there' }], max_tokens: 256 };
const bounds: number[] = [];
for (let index = 0; index < ROUNDS; index += 1) {
  const started = process.cpuUsage();
  for (let count = 0; count < REQUESTS; count += 1) maxAttemptCostNanoUsd(request, 120, model);
  const used = process.cpuUsage(started);
  bounds.push((used.user + used.system) / REQUESTS);
}
results['cost bound'] = median(bounds);

for (const [label, micros] of Object.entries(results))
  console.log(`${label.padEnd(44)} ${micros.toFixed(1).padStart(7)} µs CPU per request`);
