/**
 * crash-accounting (docs/decisions/0009-crash-accounting.md), the gateway's side: before an
 * upstream attempt is dispatched its intent is journaled (`ledger.begin`, with the attempt's
 * upper-bound cost), and the generation id its response headers give is journaled at once
 * (`ledger.noteGeneration`) and kept for the attempt's ledger row — even when the attempt then
 * fails or is abandoned, so the cost reconciler can ask what it was billed.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { ModelInfo } from '../contracts/model-info.ts';
import type { RouteCandidate } from '../routing/route-plan.ts';
import { maxAttemptCostNanoUsd } from '../usage/attempt-cost-bound.ts';
import { pricingInForce } from './attempt-tracker.ts';
import type { GatewayServices } from './gateway-services.ts';

/** One dispatched attempt's journal handle. */
export interface JournaledAttempt {
  /** The generation the upstream's headers named, once they did. */
  generationId: string | null;
  /** Pass as CallOptions.onGeneration. */
  onGeneration: (generationId: string) => void;
}

export interface AttemptToJournal {
  requestId: string;
  /** When the request arrived, ms since the epoch. */
  receivedAt: number;
  /** The client's request (as validated). */
  request: ChatCompletionRequest;
  /** The client's body size in bytes, when known (the prompt's upper bound in tokens). */
  bodyBytes: number | null;
  attemptNumber: number;
  candidate: RouteCandidate;
  /** When the attempt starts, ms since the epoch. */
  startedAt: number;
}

/** The catalogue entry with the pricing in force at `at` (the bound is journaled at it). */
function modelPricedAt(services: GatewayServices, id: string, at: number): ModelInfo | undefined {
  const model = services.lookupModel(id);
  const pricing = pricingInForce(services, model, at);
  return model === undefined || pricing === undefined ? model : { ...model, pricing };
}

/**
 * Journals the attempt's intent; resolves once it would survive a crash.
 * @throws the journal's error: the attempt must then not be dispatched.
 */
export async function journalAttempt(
  services: GatewayServices,
  attempt: AttemptToJournal,
): Promise<JournaledAttempt> {
  const { candidate, request } = attempt;
  await services.journal.begin({
    requestId: attempt.requestId,
    createdAt: new Date(attempt.receivedAt),
    model: request.model ?? candidate.canonicalModel,
    stream: request.stream === true,
    attemptNumber: attempt.attemptNumber,
    provider: candidate.provider,
    upstreamModel: candidate.model,
    canonicalModel: candidate.canonicalModel,
    startedAt: new Date(attempt.startedAt),
    maxCostNanoUsd: maxAttemptCostNanoUsd(
      request,
      attempt.bodyBytes,
      modelPricedAt(services, candidate.canonicalModel, attempt.startedAt),
    ),
  });
  const journaled: JournaledAttempt = {
    generationId: null,
    onGeneration: (generationId) => {
      journaled.generationId = generationId;
      services.journal.noteGeneration(attempt.requestId, attempt.attemptNumber, generationId);
    },
  };
  return journaled;
}
