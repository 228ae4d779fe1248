/**
 * `npm run bench:ledger-insert`: what each part of a ledger row costs the default (PGlite)
 * ledger, in CPU µs per request (`process.cpuUsage()`: PGlite runs in this process), for the
 * statement the journaled writer's background flush runs (src/storage/ledger-insert.ts), with
 * batches the size one 200 ms flush holds at ~3,700 requests/s. The record is one the gateway
 * settled (bench/ledger-record.ts). Variants, interleaved round by round on one database:
 * - `row`: the request and its attempt, without the routing decision, without rollups;
 * - `+ decision`: with the routing decision the router stored (what issue 8's "why this model"
 *   reads);
 * - `+ rollups`: and the usage rollups (issue 10) — the statement the gateway runs;
 * - `text arrays`: the same statement with every array parameter in text form, serialised by
 *   PGlite's own array serializer, as before binary array parameters (src/storage/binary-array.ts):
 *   the difference is what the binary form saves.
 * Options: --batch=<rows> (740), --rounds=<n> (40; the first 5 warm up and are not counted).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDatabase } from '../src/storage/database.ts';
import { loadPgliteDriver } from '../src/storage/drizzle.ts';
import { ledgerInsertParameters, ledgerInsertSql } from '../src/storage/ledger-insert.ts';
import { benchRecord } from './ledger-record.ts';

const argument = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const BATCH = Number(argument('batch') ?? 740);
const ROUNDS = Number(argument('rounds') ?? 40);
const WARM_UP = 5;

const variants = [
  { name: 'row', decision: false, rollups: false, text: false },
  { name: '+ decision', decision: true, rollups: false, text: false },
  { name: '+ rollups', decision: true, rollups: true, text: false },
  { name: 'text arrays', decision: true, rollups: true, text: true },
] as const;

const { types } = loadPgliteDriver().pglite;
/**
 * The parameter as PGlite's query() sent it: an array as its text literal. Every element here is
 * a string, a number or a boolean, which PGlite's serializers all turn into the same text
 * (booleans as `true`/`false` instead of `t`/`f`, read alike), so the text one serves every type.
 */
function asText(parameter: unknown): unknown {
  if (!Array.isArray(parameter)) return parameter;
  return types.arraySerializer(parameter, types.serializers[types.TEXT], 1009); // text[]
}

const directory = await mkdtemp(path.join(tmpdir(), 'signalbox-bench-ledger-insert-'));
const database = await createDatabase({ databaseUrl: null, dataDir: directory });
const totals = new Map<string, number>(variants.map((variant) => [variant.name, 0]));
let next = 0;
const started = Date.now();
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const variant of variants) {
      const records = Array.from({ length: BATCH }, () => {
        next += 1;
        return benchRecord(
          `req_bench_${String(next).padStart(12, '0')}`,
          new Date(started + next),
          {
            ...(variant.decision ? {} : { routingDecision: null }),
          },
        );
      });
      const before = process.cpuUsage();
      // Timed from the parameters on: building them is part of every flush.
      const parameters = ledgerInsertParameters(records, { rollups: variant.rollups });
      await database.execute(
        ledgerInsertSql({ rollups: variant.rollups }),
        variant.text ? parameters.map((parameter) => asText(parameter)) : parameters,
        { name: `bench_ledger_${variant.name}` },
      );
      const used = process.cpuUsage(before);
      if (round >= WARM_UP)
        totals.set(variant.name, (totals.get(variant.name) ?? 0) + used.user + used.system);
    }
  }
} finally {
  await database.close();
  await rm(directory, { recursive: true, force: true });
}

const requests = (ROUNDS - WARM_UP) * BATCH;
console.log(
  `ledger insert on PGlite, batches of ${String(BATCH)}, ${String(requests)} requests per variant:`,
);
let previous: number | null = null;
for (const variant of variants) {
  const perRequest = (totals.get(variant.name) ?? 0) / requests;
  const step =
    previous === null || variant.text
      ? ''
      : ` (${perRequest - previous >= 0 ? '+' : ''}${(perRequest - previous).toFixed(1)})`;
  console.log(`  ${variant.name.padEnd(11)} ${perRequest.toFixed(1)} µs CPU/request${step}`);
  previous = perRequest;
}
