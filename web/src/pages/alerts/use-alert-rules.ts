/** The alert rules (GET /admin/alerts/rules), refreshed every 30 s; shared by the alerts page and the overview. */
import { useQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import { ALERTS_KEY } from './alert-format';

export function useAlertRules() {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'rules'],
    queryFn: async () => unwrap(await api.GET('/admin/alerts/rules')).data,
    refetchInterval: 30_000,
  });
}
