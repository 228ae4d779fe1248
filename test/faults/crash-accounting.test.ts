/**
 * Crash accounting end to end (issue 7, defect 10): a real gateway process on PGlite, driven by
 * concurrent JSON and streaming requests that take a while upstream, is killed with SIGKILL in
 * the middle of its traffic and started again on the same data directory. Then every generation
 * the emulator billed has exactly one ledger row — acknowledged requests once, as settled; those
 * in flight at the crash as `interrupted` — and the costs agree: interrupted attempts reconciled
 * from the emulator's `/generation`, the others as reported. `CRASH_TEST_CLIENTS` and
 * `CRASH_TEST_MS` make the traffic larger by hand; `CRASH_TEST_DATABASE_URL` runs it on an
 * (empty) PostgreSQL database instead of PGlite.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import {
  getJson,
  PROCESS_OPENROUTER_KEY,
  startGatewayProcess,
  type GatewayProcess,
} from '../helpers/gateway-process.ts';
import type { AdminRequestRow } from '../helpers/start-gateway.ts';

const CLIENTS = Number(process.env.CRASH_TEST_CLIENTS ?? 12);
const TRAFFIC_MS = Number(process.env.CRASH_TEST_MS ?? 1_200);
const DATABASE_URL = process.env.CRASH_TEST_DATABASE_URL;
const databaseEnv: Record<string, string> =
  DATABASE_URL === undefined ? {} : { SIGNALBOX_DATABASE_URL: DATABASE_URL };
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-sonnet-4.5', 'google/gemini-2.5-flash'];

let emulator: Emulator;
let dataDir: string;
let gateway: GatewayProcess | null = null;

beforeAll(async () => {
  emulator = createEmulator({ apiKeys: [PROCESS_OPENROUTER_KEY], replay: false });
  dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-crash-'));
});

afterAll(async () => {
  await gateway?.stop();
  await emulator.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Acknowledged {
  requestId: string;
  stream: boolean;
}

/** Keeps `CLIENTS` requests in flight until `stop()`; returns the ones answered in full. */
function drive(target: GatewayProcess) {
  const dispatcher = new Agent({ connections: CLIENTS });
  const acknowledged: Acknowledged[] = [];
  let sent = 0;
  let running = true;
  async function one(index: number): Promise<void> {
    const stream = index % 2 === 0;
    const response = await request(`${target.url}/v1/chat/completions`, {
      dispatcher,
      method: 'POST',
      headers: { authorization: `Bearer ${target.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: MODELS[index % MODELS.length],
        stream,
        max_tokens: 64 + (index % 5) * 100,
        messages: [{ role: 'user', content: `Request ${String(index)}: tell me about signals.` }],
      }),
    });
    const text = await response.body.text();
    if (response.statusCode === 200 && (!stream || text.includes('data: [DONE]')))
      acknowledged.push({ requestId: String(response.headers['x-request-id']), stream });
  }
  const clients = Array.from({ length: CLIENTS }, async () => {
    while (running) await one((sent += 1)).catch(() => undefined);
  });
  return {
    acknowledged,
    sent: () => sent,
    async stop() {
      running = false;
      await Promise.all(clients);
      await dispatcher.destroy();
    },
  };
}

async function ledgerRows(target: GatewayProcess): Promise<AdminRequestRow[]> {
  const rows: AdminRequestRow[] = [];
  let cursor: string | null = null;
  do {
    const query: string =
      cursor === null ? '?limit=200' : `?limit=200&cursor=${encodeURIComponent(cursor)}`;
    const { body } = await getJson(target, `/admin/requests${query}`);
    const page = body as { data: AdminRequestRow[]; next_cursor: string | null };
    rows.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return rows;
}

describe('a gateway killed mid-traffic', () => {
  it('records every billed generation exactly once, with the cost billed', async () => {
    const origin = await emulator.listen();
    // Upstream latency, so that requests are in flight at the crash: streams wait after their
    // headers (the generation id is already known), JSON answers before theirs (never billed
    // when the client goes first).
    emulator.addFault({ match: { stream: true }, delayBeforeFirstTokenMs: 250, times: 0 });
    emulator.addFault({ match: { stream: false }, delayBeforeHeadersMs: 150, times: 0 });
    gateway = await startGatewayProcess({ dataDir, emulatorOrigin: origin, env: databaseEnv });
    const traffic = drive(gateway);
    await new Promise((resolve) => setTimeout(resolve, TRAFFIC_MS));
    await gateway.crash();
    await traffic.stop();
    emulator.clearFaults();

    gateway = await startGatewayProcess({ dataDir, emulatorOrigin: origin, env: databaseEnv });
    const generations = emulator.ledger.filter((entry) => entry.generationId !== null);
    // The reconciler asks /generation for the interrupted attempts in the background.
    let rows: AdminRequestRow[] = [];
    for (let tries = 0; tries < 120; tries += 1) {
      rows = await ledgerRows(gateway);
      const estimatedWithId = rows.flatMap((row) =>
        row.attempts.filter((a) => a.generation_id !== null && a.cost_source === 'estimated'),
      );
      if (estimatedWithId.length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }

    const attemptsByGeneration = new Map<string, { row: AdminRequestRow; cost: number | null }[]>();
    for (const row of rows) {
      for (const attempt of row.attempts) {
        if (attempt.generation_id === null) continue;
        const list = attemptsByGeneration.get(attempt.generation_id) ?? [];
        list.push({ row, cost: attempt.cost_nanousd });
        attemptsByGeneration.set(attempt.generation_id, list);
      }
    }
    const interrupted = rows.filter((row) => row.status === 'interrupted');
    const unseen: { key: string; cost: bigint }[] = [];
    for (const generation of generations) {
      const found = attemptsByGeneration.get(generation.generationId ?? '') ?? [];
      if (found.length === 0) {
        // Billed, but killed before the gateway read the headers that named it.
        // Billed, but the gateway died before the headers that name it arrived (a JSON answer's
        // come only once it is generated; OpenRouter bills it whether or not anyone reads it).
        unseen.push({
          key: `${generation.model ?? ''} ${String(generation.stream)}`,
          cost: BigInt(generation.billedCostNanoUsd ?? 0),
        });
        continue;
      }
      expect(found).toHaveLength(1);
      expect(BigInt(found[0]?.cost ?? -1)).toBe(BigInt(generation.billedCostNanoUsd ?? -2));
    }
    // Each generation the gateway never heard of is covered by an interrupted attempt of the
    // same model and kind without a generation id, whose estimate bounds what was billed.
    const estimates = new Map<string, bigint[]>();
    for (const row of interrupted) {
      for (const attempt of row.attempts) {
        if (attempt.generation_id !== null) continue;
        const key = `${row.model} ${String(row.stream)}`;
        estimates.set(key, [...(estimates.get(key) ?? []), BigInt(attempt.cost_nanousd ?? 0)]);
      }
    }
    const descending = (left: bigint, right: bigint) => (left < right ? 1 : left > right ? -1 : 0);
    for (const [key, bounds] of estimates) {
      const costs = unseen.filter((item) => item.key === key).map((item) => item.cost);
      costs.sort(descending);
      bounds.sort(descending);
      expect(costs.length).toBeLessThanOrEqual(bounds.length);
      costs.forEach((cost, index) => {
        expect(bounds[index]).toBeGreaterThanOrEqual(cost);
      });
    }
    expect(unseen.every((item) => estimates.has(item.key))).toBe(true);

    // Acknowledged requests are stored once, as settled, never as interrupted.
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.size).toBe(rows.length);
    for (const { requestId } of traffic.acknowledged)
      expect(byId.get(requestId)?.status).toBe('success');
    for (const row of interrupted) {
      expect(row.http_status).toBe(0);
      expect(row.attempts.every((attempt) => attempt.status === 'interrupted')).toBe(true);
      expect(['reconciled', 'estimated']).toContain(row.cost_source);
    }
    const reconciled = interrupted.filter((row) => row.cost_source === 'reconciled');
    const billedTotal = generations.reduce(
      (sum, entry) => sum + BigInt(entry.billedCostNanoUsd ?? 0),
      0n,
    );
    const inFlightBilled =
      unseen.reduce((sum, item) => sum + item.cost, 0n) +
      interrupted
        .flatMap((row) => row.attempts)
        .filter((attempt) => attempt.cost_source === 'reconciled')
        .reduce((sum, attempt) => sum + BigInt(attempt.cost_nanousd ?? 0), 0n);
    // The traffic must have exercised both paths, or this test proves nothing.
    expect(traffic.acknowledged.length).toBeGreaterThan(0);
    expect(reconciled.length).toBeGreaterThan(0);
    console.info(
      `crash test: ${String(traffic.sent())} requests sent in ${String(TRAFFIC_MS)} ms, ${String(traffic.acknowledged.length)} acknowledged, ` +
        `${String(generations.length)} generations billed, ${String(interrupted.length)} interrupted rows ` +
        `(${String(reconciled.length)} reconciled), ${String(unseen.length)} generations never named to the gateway; ` +
        `in-flight generations were ${(Number((inFlightBilled * 10_000n) / (billedTotal === 0n ? 1n : billedTotal)) / 100).toFixed(2)} % of the billed cost`,
    );
  }, 120_000);
});
