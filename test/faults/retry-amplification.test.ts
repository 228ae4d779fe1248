/**
 * Retry amplification (defect 17 of the pipeline issue): how many upstream attempts one client
 * request costs while upstreams are down. Before the health registry and the retry budget a full
 * OpenRouter outage cost 3.0 attempts per request, 4.0 with a direct provider in front, and 2.0
 * while only the direct provider was down. Now circuits skip what is known to be down (panic
 * routing still sends each request once when nothing else is left) and the instance-wide retry
 * budget caps retries and fallbacks at 20 % of requests plus a floor of 3 per second — so the
 * bound is 1.2 + the floor's share, within the 1.25 plus that floor effect.
 * Each scenario has its own gateway (the retry budget is per instance) with default settings.
 * The third case, only the direct provider down, is acceptance.test.ts's first measurement.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chat,
  report,
  runConcurrently,
  startFaultBench,
  upstreamAttempts,
  warmUp,
  type FaultBench,
} from '../helpers/fault-bench.ts';

const REQUESTS = 1_000;
const CONCURRENCY = 20;
/** The retry budget's defaults (SIGNALBOX_RETRY_BUDGET_MIN_PER_SECOND, its 10 s window). */
const FLOOR_PER_WINDOW = 30;
const WINDOW_SECONDS = 10;

interface Scenario {
  name: string;
  model: string;
  /** Model names (as each upstream sees them) answering 503 to everything. */
  down: string[];
  /** Attempts per request before the redesign. */
  before: number;
}

const scenarios: Scenario[] = [
  {
    name: 'full OpenRouter outage, no direct provider for the model',
    model: 'openai/gpt-4o',
    down: ['openai/gpt-4o'],
    before: 3.0,
  },
  {
    name: 'full outage with a direct provider in front',
    model: 'anthropic/claude-sonnet-4.5',
    down: ['claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5'],
    before: 4.0,
  },
];

const benches: FaultBench[] = [];

beforeAll(async () => {
  benches.push(...(await Promise.all(scenarios.map(() => startFaultBench()))));
  for (const bench of benches) await warmUp(bench);
});

afterAll(async () => {
  await Promise.all(benches.map((bench) => bench.close()));
});

describe('retry amplification', () => {
  it.each(scenarios.map((scenario, index) => ({ ...scenario, index })))(
    '$name: attempts per request within the retry budget',
    async (scenario) => {
      const bench = benches[scenario.index] as FaultBench;
      for (const model of scenario.down)
        bench.emulator.addFault({ match: { model }, status: 503, times: 0 });
      const started = performance.now();
      const answers = await runConcurrently(REQUESTS, CONCURRENCY, () =>
        chat(bench.url, { model: scenario.model }),
      );
      const seconds = (performance.now() - started) / 1000;
      const attempts = bench.emulator.ledger.length;
      const perRequest = attempts / REQUESTS;
      const windows = Math.ceil(seconds / WINDOW_SECONDS);
      const bound = 1.25 + (FLOOR_PER_WINDOW * windows) / REQUESTS;
      const succeeded = answers.filter((answer) => answer.status === 200).length;
      const latencies = answers.map((answer) => answer.elapsedMs).sort((a, b) => a - b);
      report(`retry amplification: ${scenario.name}`, {
        requests: REQUESTS,
        concurrency: CONCURRENCY,
        attemptsPerRequest: perRequest,
        beforeRedesign: scenario.before,
        bound,
        byProvider: JSON.stringify(upstreamAttempts(bench.emulator)),
        clientSuccessRate: succeeded / REQUESTS,
        clientP50Ms: latencies[Math.floor(REQUESTS * 0.5)] ?? 0,
        clientP99Ms: latencies[Math.floor(REQUESTS * 0.99)] ?? 0,
        seconds,
      });
      expect(perRequest).toBeLessThanOrEqual(bound);
      expect(succeeded).toBe(0);
      // Clients get an honest error, never a graceful pretence or a hang.
      for (const answer of answers) expect([502, 503]).toContain(answer.status);
    },
  );
});
