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

export { useReadiness, type ProviderHealth, type Readiness } from '../../api/readiness';
