/** The alert rules (GET /admin/alerts/rules), refreshed every 30 s; shared by the alerts page and the overview. */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ALERTS_KEY } from './alert-format';

/** The rules query (also prefetched by the overview's route loader). */
export function alertRulesQuery() {
  return queryOptions({
    queryKey: [...ALERTS_KEY, 'rules'],
    queryFn: async () => unwrap(await api.GET('/admin/alerts/rules')).data,
    refetchInterval: 30_000,
    staleTime: 10_000,
  });
}

export function useAlertRules() {
  return useQuery(alertRulesQuery());
}
