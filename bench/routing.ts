/**
 * Routing benchmark (`node bench/routing.ts`, and the end of `npm run bench`): the time to decide,
 * measured in-process around `planRoute` — a plain model id (what every request without a policy
 * pays, with the header and the decision's JSON for the ledger), a 20-candidate policy (target
 * p99 ≤ 50 µs), `signalbox/auto` over the whole 356-model catalogue (p99 ≤ 300 µs) — and the
 * explain endpoint of a real gateway process under an open-loop 200 requests/s (p99 ≤ 2 ms).
 * Prints the figures; asserts nothing.
 */
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { startProcess } from './start-process.ts';
import { loadSnapshotModels } from '../src/catalog/snapshot.ts';
import type { ChatCompletionRequest } from '../src/contracts/chat.ts';
import { builtinPolicy } from '../src/routing/builtin-policies.ts';
import { compilePolicy } from '../src/routing/compiled-policy.ts';
import { planRoute } from '../src/routing/plan-route.ts';
import { parsePolicy } from '../src/routing/policy-schema.ts';
import { routeHeader } from '../src/routing/route-header.ts';
import type { RouteInput, RoutingContext } from '../src/routing/route-plan.ts';
import type { RoutingSignals } from '../src/routing/route-signals.ts';
import { createRoutingCatalog } from '../src/routing/routing-catalog.ts';

const MASTER_KEY = 'sb-bench-master-key-0000000000';

function percentile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? 0;
}

/** p50/p99 of `work` in µs over `iterations` calls, after a warm-up. */
function timeCalls(
  work: (index: number) => unknown,
  iterations: number,
): { p50: number; p99: number } {
  for (let index = 0; index < 2000; index += 1) work(index);
  const samples = new Float64Array(iterations);
  for (let index = 0; index < iterations; index += 1) {
    const start = performance.now();
    work(index);
    samples[index] = (performance.now() - start) * 1000;
  }
  const sorted = [...samples].sort((left, right) => left - right);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
}

const models = loadSnapshotModels();
const catalog = createRoutingCatalog(models);
// The 20 most-used kind of candidate: catalogued, priced chat models.
const twenty = models
  .filter((model) => Number(model.pricing.prompt) > 0 && !model.id.startsWith('openrouter/'))
  .slice(0, 20)
  .map((model) => model.id);
const policy = compilePolicy({
  name: 'twenty',
  version: 1,
  policy: parsePolicy({
    name: 'twenty',
    candidates: twenty.map((model) => ({ model })),
    strategy: 'balanced',
    cost_weight: 0.4,
  }),
});
/** Half the candidates have observed latency, as after some traffic. */
const signals: RoutingSignals = {
  circuit: () => ({ open: false }),
  observed: (_provider, model) =>
    twenty.indexOf(model) % 2 === 0
      ? { latencyMs: 400 + model.length * 10, ttftMs: 150, requests: 30, errorRate: 0.01 }
      : undefined,
  published: () => undefined,
};
const context: RoutingContext = {
  defaultProvider: 'openrouter',
  directProviders: [],
  catalog: () => catalog,
  isModelDisabled: () => false,
  policy: (name) => (name === 'twenty' ? policy : builtinPolicy(name)),
  signals,
};

function input(
  model: string,
  index: number,
  extra: Partial<ChatCompletionRequest> = {},
): RouteInput {
  return {
    request: {
      model,
      messages: [{ role: 'user', content: `Say hello, request ${index}.` }],
      max_tokens: 300,
      ...extra,
    },
    stream: index % 2 === 0,
    maxCostUsd: null,
    keyId: null,
    now: Date.now(),
  };
}

function inProcess(): void {
  const plain = timeCalls((index) => planRoute(input('openai/gpt-4o', index), context), 50_000);
  const plainTotal = timeCalls((index) => {
    const planned = planRoute(input('openai/gpt-4o', index), context);
    return [routeHeader(planned.decision), JSON.stringify(planned.decision)];
  }, 50_000);
  const twentyCandidates = timeCalls(
    (index) => planRoute(input('signalbox/twenty', index), context),
    20_000,
  );
  const tools = { tools: [{ type: 'function', function: { name: 'lookup' } }] };
  const auto = timeCalls(
    (index) => planRoute(input('signalbox/auto', index, tools), context),
    5_000,
  );
  const line = (label: string, figures: { p50: number; p99: number }, target: string) => {
    console.log(
      `${label.padEnd(52)} p50 ${figures.p50.toFixed(1).padStart(6)} µs  p99 ${figures.p99.toFixed(1).padStart(6)} µs  ${target}`,
    );
  };
  line('plain model (planRoute)', plain, '(no more than before the routing engine)');
  line('plain model + header + decision JSON for the ledger', plainTotal, '');
  line('20-candidate policy, balanced (planRoute)', twentyCandidates, '(target p99 <= 50 µs)');
  line('signalbox/auto, 356 models, tools required', auto, '(target p99 <= 300 µs)');
}

/** Open loop: one request every 1000/rate ms whatever the answers do, latency from its send. */
async function explainUnderLoad(rate: number, seconds: number): Promise<void> {
  const emulator = await startProcess(['src/cli/main.ts', 'emulator', '--port', '0']);
  const gateway = await startProcess(['bench/gateway-server.ts', `${emulator.url}/api/v1`]);
  const pool = new Pool(gateway.url, { connections: 16 });
  const headers = { authorization: `Bearer ${MASTER_KEY}`, 'content-type': 'application/json' };
  try {
    const created = await pool.request({
      path: '/admin/routing/policies',
      method: 'POST',
      headers,
      body: JSON.stringify({
        name: 'twenty',
        candidates: twenty.map((model) => ({ model })),
        strategy: 'balanced',
      }),
    });
    await created.body.dump();
    const bodies = ['openai/gpt-4o', 'signalbox/twenty', 'signalbox/auto'].map((model) =>
      JSON.stringify({
        model,
        messages: [{ role: 'user', content: 'Say hello.' }],
        max_tokens: 300,
      }),
    );
    const explain = async (index: number): Promise<number> => {
      const start = performance.now();
      const response = await pool.request({
        path: '/v1/route/explain',
        method: 'POST',
        headers,
        body: bodies[index % bodies.length] ?? '',
      });
      await response.body.dump();
      if (response.statusCode !== 200) throw new Error(`explain answered ${response.statusCode}`);
      return performance.now() - start;
    };
    // The floor of this machine and HTTP stack: the cheapest route, at the same rate.
    const live = async (): Promise<number> => {
      const start = performance.now();
      const response = await pool.request({ path: '/health/live', method: 'GET' });
      await response.body.dump();
      return performance.now() - start;
    };
    for (let index = 0; index < 300; index += 1) await explain(index);
    const openLoop = async (send: (index: number) => Promise<number>): Promise<number[]> => {
      const total = rate * seconds;
      const latencies: Promise<number>[] = [];
      const started = performance.now();
      for (let index = 0; index < total; index += 1) {
        const due = started + (index * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        latencies.push(send(index));
      }
      return (await Promise.all(latencies)).sort((left, right) => left - right);
    };
    const report = (label: string, sorted: number[], target: string) => {
      console.log(
        `${label.padEnd(52)} p50 ${percentile(sorted, 0.5).toFixed(2)} ms  p99 ${percentile(sorted, 0.99).toFixed(2)} ms  ${target}`,
      );
    };
    report(
      `explain endpoint, ${rate} req/s open loop, ${rate * seconds} requests`,
      await openLoop(explain),
      '(target p99 <= 2 ms)',
    );
    report(`GET /health/live, same rate (reference)`, await openLoop(live), '');
  } finally {
    await pool.close();
    gateway.child.kill('SIGTERM');
    emulator.child.kill('SIGTERM');
  }
}

/** Runs the routing benchmark and prints its figures (also called by bench/run.ts). */
export async function runRoutingBenchmark(): Promise<void> {
  inProcess();
  await explainUnderLoad(200, 10);
}

// Run directly (`node bench/routing.ts`), not when imported by bench/run.ts.
if (import.meta.main) await runRoutingBenchmark();
