/** GET /health/ready (not an admin route): the mode, provider instances and their circuit state. */
import { queryOptions, useQuery } from '@tanstack/react-query';

export interface ProviderHealth {
  id: string;
  /** `closed` (healthy), `open` or `half_open` for the instance's targets. */
  circuit: string;
  provider_circuit: string;
  open_targets: number;
  open_until: string | null;
}

export interface Readiness {
  status: string;
  mode?: string;
  providers?: ProviderHealth[];
  catalogue?: { models: number; loaded_at: string | null };
}

/** The readiness query (one cache entry for the header's demo badge and every page). */
export function readinessQuery(refetchInterval: number | false = false) {
  return queryOptions({
    queryKey: ['health', 'ready', 'full'],
    queryFn: async () => (await (await fetch('/health/ready')).json()) as Readiness,
    staleTime: 10_000,
    refetchInterval,
  });
}

export function useReadiness(refetchInterval: number | false = false) {
  return useQuery(readinessQuery(refetchInterval));
}
