/**
 * The session: who is logged in (GET /admin/session), login and logout. The CSRF token from
 * the session is handed to the API client for mutations.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, setCsrfToken, unwrap, type Schemas } from './api/client';

export type Session = Schemas['Session'];

export const SESSION_KEY = ['session'] as const;

export function useSession() {
  return useQuery({
    queryKey: SESSION_KEY,
    queryFn: async (): Promise<Session | null> => {
      try {
        const session = unwrap(await api.GET('/admin/session'));
        setCsrfToken(session.csrf_token);
        return session;
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw error;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

/** Whether the logged-in role may change things (admin or owner). */
export function canEdit(session: Session | null | undefined): boolean {
  return session?.role === 'admin' || session?.role === 'owner';
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (key: string) => unwrap(await api.POST('/admin/session', { body: { key } })),
    onSuccess: (session) => {
      setCsrfToken(session.csrf_token);
      queryClient.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (everywhere: boolean) => {
      if (everywhere)
        unwrap(await api.POST('/admin/session/logout-all', { body: { scope: 'key' } }));
      else unwrap(await api.DELETE('/admin/session'));
    },
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(SESSION_KEY, null);
    },
  });
}
