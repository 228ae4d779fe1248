/**
 * Governance benchmark (`npm run bench:admission`): what the `admit` and `settle` stages cost a
 * request under a key with every limit (RPM, TPM, max concurrency and a budget) on Redis, and
 * the budget proof at N = 1000.
 *
 * 1. CPU per request: this process's CPU time (process.cpuUsage) over admit + settle calls,
 *    one at a time and 32 in flight, of a LimitsAdmission on Redis, minus the same loop for the master key
 *    (no limits); Redis's own CPU is not counted (it is another process).
 * 2. Overshoot: `--requests=` (default 1000) concurrent requests under a small budget over two
 *    gateway instances sharing PostgreSQL and Redis (test/helpers/budget-proof.ts).
 * Needs SIGNALBOX_BENCH_DATABASE_URL and SIGNALBOX_BENCH_REDIS_URL (or the TEST variables).
 * Prints the figures; asserts nothing.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { composeGateway } from '../src/compose-gateway.ts';
import { loadConfig } from '../src/config/config.ts';
import { MASTER_PRINCIPAL, type Principal } from '../src/contracts/principal.ts';
import { createRequestContext } from '../src/gateway/handle-chat.ts';
import { plan } from '../src/gateway/plan.ts';
import { validate } from '../src/gateway/validate.ts';
import type { GatewayServices } from '../src/gateway/index.ts';
import { runBudgetProof } from '../test/helpers/budget-proof.ts';

const databaseUrl =
  process.env.SIGNALBOX_BENCH_DATABASE_URL ?? process.env.SIGNALBOX_TEST_DATABASE_URL ?? null;
const redisUrl =
  process.env.SIGNALBOX_BENCH_REDIS_URL ?? process.env.SIGNALBOX_TEST_REDIS_URL ?? null;
const REQUESTS = Number(
  process.argv.find((arg) => arg.startsWith('--requests='))?.slice(11) ?? 1000,
);
const ITERATIONS = Number(
  process.argv.find((arg) => arg.startsWith('--iterations='))?.slice(13) ?? 3000,
);

function limitedPrincipal(): Principal {
  return {
    keyId: `bench-${randomUUID()}`,
    role: 'client',
    projectId: `bench-project-${randomUUID()}`,
    name: 'bench',
    limits: {
      rpm: 1_000_000,
      tpm: 1_000_000_000,
      budget: { limitNanoUsd: 1_000_000_000_000n, period: 'day' },
      maxConcurrency: 100,
      maxCostPerRequestNanoUsd: null,
      models: null,
      policies: null,
      defaultPolicy: null,
      allowUnpriced: false,
    },
    projectLimits: {
      rpm: 1_000_000,
      tpm: null,
      budget: { limitNanoUsd: 1_000_000_000_000n, period: 'month' },
    },
  };
}

/** CPU µs of `iterations` sequential admit + settle calls. */
async function cpuPerRequest(
  services: GatewayServices,
  principal: Principal,
  iterations: number,
  concurrency: number,
): Promise<number> {
  const body = {
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'How much does admission cost?' }],
    max_tokens: 200,
  };
  const bytes = Buffer.from(JSON.stringify(body));
  const once = async (): Promise<void> => {
    const context = createRequestContext(
      {
        body,
        rawBody: bytes,
        requestId: randomUUID(),
        abort: new AbortController(),
        receivedAt: Date.now(),
        principal,
      },
      services,
    );
    validate(context, bytes);
    plan(context, services);
    await services.admission?.admit(context);
    await context.reservation?.settle(120_000n, context);
  };
  const run = async (count: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          await once();
        }
      }),
    );
  };
  await run(300);
  const start = process.cpuUsage();
  await run(iterations);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / iterations;
}

async function main(): Promise<void> {
  if (databaseUrl === null || redisUrl === null) {
    console.error('Set SIGNALBOX_BENCH_DATABASE_URL and SIGNALBOX_BENCH_REDIS_URL.');
    process.exitCode = 1;
    return;
  }
  const memory = await composeGateway(loadConfig({ SIGNALBOX_LOG_LEVEL: 'silent' }), {
    logger: pino({ level: 'silent' }),
    persistence: 'none',
  });
  try {
    const master = await cpuPerRequest(memory.gateway, MASTER_PRINCIPAL, ITERATIONS, 32);
    const limited = await cpuPerRequest(memory.gateway, limitedPrincipal(), ITERATIONS, 32);
    console.log(
      `admit + settle in memory (no Redis), 32 in flight: ${(limited - master).toFixed(1)} µs ` +
        `CPU per request added (${limited.toFixed(1)} µs with limits, ${master.toFixed(1)} µs ` +
        `for the master key)`,
    );
  } finally {
    await memory.close();
  }
  const core = await composeGateway(
    loadConfig({ SIGNALBOX_REDIS_URL: redisUrl, SIGNALBOX_LOG_LEVEL: 'silent' }),
    { logger: pino({ level: 'silent' }), persistence: 'none' },
  );
  try {
    for (const concurrency of [1, 32]) {
      const master = await cpuPerRequest(core.gateway, MASTER_PRINCIPAL, ITERATIONS, concurrency);
      const limited = await cpuPerRequest(
        core.gateway,
        limitedPrincipal(),
        ITERATIONS,
        concurrency,
      );
      console.log(
        `admit + settle with Redis (RPM, TPM, concurrency, key and project budgets), ` +
          `${concurrency} in flight: ${(limited - master).toFixed(1)} µs CPU per request added ` +
          `(${limited.toFixed(1)} µs with limits, ${master.toFixed(1)} µs for the master key, ` +
          `validate + plan included in both; ${ITERATIONS} requests)`,
      );
    }
  } finally {
    await core.close();
  }
  const budgetNanoUsd = 30_000_000n;
  const proof = await runBudgetProof({
    databaseUrl,
    redisUrl,
    requests: REQUESTS,
    budgetNanoUsd,
  });
  const overshoot = proof.ledgerSpendNanoUsd - budgetNanoUsd;
  console.log(
    `budget proof, ${REQUESTS} concurrent requests over two instances: budget ${budgetNanoUsd} nano-USD, ` +
      `settled ${proof.ledgerSpendNanoUsd} (ledger) / ${proof.redisSpendNanoUsd} (Redis), ` +
      `overshoot ${overshoot > 0n ? overshoot : 0n} nano-USD, used ` +
      `${((Number(proof.ledgerSpendNanoUsd) / Number(budgetNanoUsd)) * 100).toFixed(2)} %; ` +
      `${proof.answered} answered (${proof.capped} with max_tokens capped), ${proof.refused} refused ` +
      `budget_exceeded, other ${JSON.stringify(proof.other)}, still reserved ${proof.redisReservedNanoUsd}`,
  );
}

await main();
