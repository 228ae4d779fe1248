/**
 * `npm run scale-test`: the scale-out proof of docs/deploy.md at full size — three gateway
 * processes on one PostgreSQL and one Redis behind a round-robin balancer, mixed streaming and
 * JSON traffic at 200 requests/s for 60 s, run-time changes and a SIGKILL during it — and then
 * the ledger checked against the emulator's. Prints progress and a summary, saves the report as
 * JSON under bench/results/, exits 1 when a guarantee failed.
 *
 * Flags: --postgres=URL (default postgres://postgres@127.0.0.1:5432/test; a database is created
 * and dropped there), --redis=URL (default redis://127.0.0.1:6379/14), --instances=3, --rps=200,
 * --seconds=60.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runScale, type ScaleReport } from '../test/scale/scale-run.ts';

function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}

const report: ScaleReport = await runScale({
  postgresUrl: flag('postgres', 'postgres://postgres@127.0.0.1:5432/test'),
  redisUrl: flag('redis', 'redis://127.0.0.1:6379/14'),
  instances: Number(flag('instances', '3')),
  requestsPerSecond: Number(flag('rps', '200')),
  durationMs: Number(flag('seconds', '60')) * 1000,
  log: (line) => {
    console.log(`[scale] ${line}`);
  },
});
console.log(JSON.stringify(report, null, 2));
const directory = path.join(import.meta.dirname, '..', 'bench', 'results');
await mkdir(directory, { recursive: true });
const file = path.join(directory, `scale-${new Date().toISOString().replaceAll(':', '-')}.json`);
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
const failed =
  report.duplicated > 0 ||
  report.costMismatches > 0 ||
  report.acknowledgedLost > 0 ||
  report.unnamed > report.unnamedCovered ||
  report.rateLimited.admitted > report.rateLimited.allowedAtMost ||
  BigInt(report.budget.spentNanoUsd) > BigInt(report.budget.limitNanoUsd) ||
  report.propagation.some((change) => change.perInstanceMs.some((ms) => ms === null || ms > 2_000));
console.log(
  `${failed ? 'FAILED' : 'PASSED'}: report saved to ${path.relative(process.cwd(), file)}`,
);
process.exitCode = failed ? 1 : 0;
