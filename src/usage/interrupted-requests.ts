/**
 * Crash accounting at start-up (docs/decisions/0009-crash-accounting.md): the ledger rows of
 * requests a crashed process had begun but never settled, rebuilt from their journaled attempt
 * intents and generation notes. Pure.
 */
import {
  INTERRUPTED_STATUS,
  weakestCostSource,
  type AttemptRecord,
  type CostSource,
  type RequestRecord,
} from '../contracts/ledger.ts';
import type { AttemptIntent } from './attempt-intent.ts';
import type { GenerationNote } from './ledger-journal-codec.ts';

/** Largest `*_ms` value a row holds (int4); a clock jump must not make a row unstorable. */
const MAX_MS = 2_147_483_647;

function elapsedMs(from: number, to: number): number {
  return Math.min(MAX_MS, Math.max(0, to - from));
}

/**
 * The `interrupted` record of one request from its intents (at least one) and generation notes.
 * Every attempt is `interrupted` too — what it came to is unknown — with its upper-bound cost
 * estimate (`estimated`, or NULL when unpriced) and the generation id its headers gave, if any,
 * so the cost reconciler can replace the estimate with what the upstream billed. Latencies are
 * lower bounds: up to the last thing the journal saw of the request. The HTTP status is 0
 * (unknown: the client may have had nothing, or a stream cut short).
 * @throws Error when `intents` is empty (a caller bug).
 */
export function interruptedRecord(
  intents: readonly AttemptIntent[],
  generations: readonly GenerationNote[],
): RequestRecord {
  const byAttempt = new Map<number, AttemptIntent>();
  for (const intent of intents) byAttempt.set(intent.attemptNumber, intent);
  const ordered = [...byAttempt.values()].sort(
    (left, right) => left.attemptNumber - right.attemptNumber,
  );
  const first = ordered[0];
  const last = ordered.at(-1);
  if (first === undefined || last === undefined) throw new Error('No intent to rebuild from.');
  const generationOf = new Map<number, GenerationNote>();
  for (const note of generations) generationOf.set(note.attemptNumber, note);

  let lastSeen = first.createdAt.getTime();
  let cost: bigint | null = null;
  let costSource: CostSource | null = null;
  const attempts: AttemptRecord[] = ordered.map((intent) => {
    const note = generationOf.get(intent.attemptNumber);
    const seen = Math.max(intent.startedAt.getTime(), note?.at.getTime() ?? 0);
    lastSeen = Math.max(lastSeen, seen);
    const source: CostSource | null = intent.maxCostNanoUsd === null ? null : 'estimated';
    if (intent.maxCostNanoUsd !== null) cost = (cost ?? 0n) + intent.maxCostNanoUsd;
    costSource = weakestCostSource(costSource, source);
    return {
      attemptNumber: intent.attemptNumber,
      provider: intent.provider,
      model: intent.upstreamModel,
      servedModel: null,
      generationId: note?.generationId ?? null,
      status: INTERRUPTED_STATUS,
      upstreamStatus: null,
      startedAt: intent.startedAt,
      latencyMs: elapsedMs(intent.startedAt.getTime(), seen),
      ttftMs: null,
      promptTokens: null,
      completionTokens: null,
      reasoningTokens: null,
      cachedTokens: null,
      costNanoUsd: intent.maxCostNanoUsd,
      costSource: source,
    };
  });
  return {
    id: first.requestId,
    createdAt: first.createdAt,
    model: first.model,
    provider: last.provider,
    servedModel: null,
    status: INTERRUPTED_STATUS,
    httpStatus: 0,
    stream: first.stream,
    generationId: generationOf.get(last.attemptNumber)?.generationId ?? null,
    promptTokens: null,
    completionTokens: null,
    reasoningTokens: null,
    cachedTokens: null,
    latencyMs: elapsedMs(first.createdAt.getTime(), lastSeen),
    ttftMs: null,
    costNanoUsd: cost,
    costSource,
    // The routing decision lived only in the process that crashed.
    policy: null,
    policyVersion: null,
    policyVariant: null,
    servedCandidate: null,
    routingDecision: null,
    keyId: null,
    projectId: null,
    queueWaitMs: null,
    requiredFeatures: null,
    attempts,
  };
}
