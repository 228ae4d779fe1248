/**
 * Asks for OpenRouter's published latency of the models routing ranked without any latency data,
 * after the request ended (settlement), so fetching never sits on a request's path and explain
 * (which settles nothing) never changes what the next request sees.
 */
import type { SettlementListener } from './settlement.ts';

/** The top candidates of a decision without latency data are queued (at most this many). */
const WANTED_PER_REQUEST = 3;

export function publishedLatencyListener(store: {
  want(modelId: string): void;
}): SettlementListener {
  return {
    name: 'published-latency',
    onSettled({ decision }) {
      if (decision === null) return;
      let wanted = 0;
      for (const candidate of decision.candidates) {
        if (wanted >= WANTED_PER_REQUEST) break;
        if (candidate.latency_source !== null) continue;
        store.want(candidate.model);
        wanted += 1;
      }
    },
  };
}
