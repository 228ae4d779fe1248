/**
 * The budget proof: `requests` concurrent chat requests under one key with a small budget,
 * spread over two gateway instances (two composed gateways, each with its own ledger journal)
 * sharing one PostgreSQL database and one Redis, against one emulator whose answers use every
 * token `max_tokens` allows. Returns the settled spend (ledger and Redis) against the budget.
 * Used by test/e2e/budget-proof.test.ts (small N) and bench/admission.ts (N = 1000).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Principal } from '../../src/contracts/principal.ts';
import { createEmulator } from '../../src/emulator/index.ts';
import { chatOn, clientLimits, startLimitsInstance } from './limits-gateway.ts';

export interface BudgetProofOptions {
  databaseUrl: string;
  redisUrl: string;
  requests: number;
  budgetNanoUsd: bigint;
  /** Every `uncappedEvery`-th request has no max_tokens (capped by the remaining budget). */
  uncappedEvery?: number;
  maxTokens?: number;
}

export interface BudgetProofResult {
  budgetNanoUsd: bigint;
  /** Sum of the ledger's costs for the key (both instances' rows). */
  ledgerSpendNanoUsd: bigint;
  /** The shared counter's settled spend and what is still reserved (must be 0). */
  redisSpendNanoUsd: bigint;
  redisReservedNanoUsd: bigint;
  /** Requests answered / refused with budget_exceeded / other outcomes. */
  answered: number;
  refused: number;
  other: Record<string, number>;
  /** Responses with `x-signalbox-max-tokens-capped`. */
  capped: number;
}

const MODEL = 'openai/gpt-4o-mini';

export async function runBudgetProof(options: BudgetProofOptions): Promise<BudgetProofResult> {
  const emulator = createEmulator();
  const origin = await emulator.listen({ port: 0 });
  // Long answers: every request uses all the completion tokens it is allowed.
  emulator.addFault({ answerWords: 100_000, times: 0 });
  const env = {
    SIGNALBOX_DATABASE_URL: options.databaseUrl,
    SIGNALBOX_REDIS_URL: options.redisUrl,
  };
  const first = await startLimitsInstance(origin, env);
  const second = await startLimitsInstance(origin, env);
  const keyId = `proof-key-${randomUUID()}`;
  const principal: Principal = {
    keyId,
    role: 'client',
    projectId: null,
    name: 'budget proof',
    limits: clientLimits({ budget: { limitNanoUsd: options.budgetNanoUsd, period: 'total' } }),
  };
  try {
    const uncappedEvery = options.uncappedEvery ?? 4;
    const writers = await Promise.all(
      Array.from({ length: options.requests }, (_, index) => {
        const body: Record<string, unknown> = {
          model: MODEL,
          messages: [{ role: 'user', content: `Budget proof request ${index}.` }],
          stream: index % 2 === 1,
          ...(index % uncappedEvery === uncappedEvery - 1
            ? {}
            : { max_tokens: options.maxTokens ?? 1_000 }),
        };
        return chatOn((index % 2 === 0 ? first : second).core, principal, body).then(
          (chat) => chat.writer,
        );
      }),
    );
    const result: BudgetProofResult = {
      budgetNanoUsd: options.budgetNanoUsd,
      ledgerSpendNanoUsd: 0n,
      redisSpendNanoUsd: 0n,
      redisReservedNanoUsd: 0n,
      answered: 0,
      refused: 0,
      other: {},
      capped: 0,
    };
    for (const writer of writers) {
      if (writer.headers['x-signalbox-max-tokens-capped'] !== undefined) result.capped += 1;
      if (writer.kind === 'json' || writer.kind === 'stream') result.answered += 1;
      else if (writer.failure?.code === 'budget_exceeded') result.refused += 1;
      else {
        const code = writer.failure?.code ?? String(writer.kind);
        result.other[code] = (result.other[code] ?? 0) + 1;
      }
    }
    await Promise.all([first.core.ledger.flush(), second.core.ledger.flush()]);
    const client = new pg.Client({ connectionString: options.databaseUrl });
    await client.connect();
    try {
      const rows = await client.query<{ total: string | null }>(
        'select sum(cost_nanousd)::text as total from requests where key_id = $1',
        [keyId],
      );
      result.ledgerSpendNanoUsd = BigInt(rows.rows[0]?.total ?? '0');
    } finally {
      await client.end();
    }
    const usage = await first.core.limits.budgets.usage(
      { kind: 'key', id: keyId },
      { limitNanoUsd: options.budgetNanoUsd, period: 'total' },
    );
    result.redisSpendNanoUsd = usage.spentNanoUsd;
    result.redisReservedNanoUsd = usage.reservedNanoUsd;
    return result;
  } finally {
    await first.close();
    await second.close();
    await emulator.close();
  }
}
