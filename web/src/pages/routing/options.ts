/** Choices for the routing builder: catalogue model ids and provider instance ids. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';

/** Enabled, current catalogue models, by name (shared cache with the playground). */
export function useModelOptions() {
  return useQuery({
    queryKey: ['catalog', 'models', 'playground'],
    queryFn: async () =>
      unwrap(
        await api.GET('/admin/catalog/models', {
          params: { query: { enabled: 'true', retired: 'false', limit: '500', sort: 'name' } },
        }),
      ),
    staleTime: 5 * 60_000,
    select: (page) => page.data.map((entry) => entry.id),
  });
}

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

/** GET /health/ready: provider instances and their circuit state (not an admin route). */
export function useReadiness(refetchInterval: number | false = false) {
  return useQuery({
    queryKey: ['health', 'ready', 'full'],
    queryFn: async () => (await (await fetch('/health/ready')).json()) as Readiness,
    staleTime: 10_000,
    refetchInterval,
  });
}
