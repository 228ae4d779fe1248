/**
 * Dashboard login and logout: `POST /admin/session` trades an owner/admin/viewer key for a
 * session cookie, `GET` says who the caller is (with the CSRF token mutations must send),
 * `DELETE` logs out, `POST /admin/session/logout-all` ends every session of the caller's key
 * (or of everyone, for the owner).
 */
import { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import type { PrincipalResolver } from '../../security/principal-resolver.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import { clearSessionCookie, setSessionCookie } from '../admin/session-cookie.ts';
import type { SessionService } from '../admin/session-service.ts';

const roleSchema = z.enum(['owner', 'admin', 'viewer', 'client']);

/** `GET /admin/session` and the login answer. */
export const sessionSchema = z
  .object({
    key_id: z.string().describe('`master` for the master key, else the key id.'),
    role: roleSchema,
    name: z.string(),
    project_id: z.string().nullable(),
    authenticated_by: z.enum(['session', 'bearer']),
    csrf_token: z
      .string()
      .nullable()
      .describe('Send as `x-csrf-token` on cookie-authenticated mutations; null for bearer calls.'),
    expires_at: z
      .string()
      .nullable()
      .describe('When the session ends if unused (idle or absolute expiry); null for bearer.'),
  })
  .meta({ id: 'Session' });

export interface AdminSessionDependencies {
  resolver: PrincipalResolver;
  sessions: SessionService;
}

export function adminSessionRoutes(dependencies: AdminSessionDependencies): AdminRoute[] {
  const { resolver, sessions } = dependencies;
  return [
    defineAdminRoute({
      method: 'POST',
      url: '/session',
      summary: 'Log in: trade an owner, admin or viewer key for a session cookie',
      description:
        'Sets an HttpOnly, SameSite=Strict `signalbox_session` cookie (Secure over HTTPS). ' +
        'Cookie-authenticated mutations must send the returned `csrf_token` as `x-csrf-token`.',
      tags: ['session'],
      minimumRole: 'public',
      audit: { action: 'session.create', targetType: 'session' },
      request: {
        body: z.object({ key: z.string().min(1, '"key" must be a non-empty key.') }),
      },
      responses: { 200: sessionSchema },
      async handler({ body, request, reply, audit }) {
        const principal = await resolver.resolve(body.key);
        if (principal === null) throw new SignalboxError('invalid_api_key', 'Invalid API key.');
        if (principal.role === 'client')
          throw new SignalboxError(
            'permission_denied',
            'Client keys cannot log in to the dashboard; use an admin or viewer key.',
          );
        // The audit row's actor is the key that logged in (never the key itself: body unrecorded).
        request.principal = principal;
        audit.describe({ targetId: principal.keyId, after: { role: principal.role } });
        const session = await sessions.create(principal);
        setSessionCookie(request, reply, session.sessionId, sessions.maxMs);
        return {
          key_id: principal.keyId,
          role: principal.role,
          name: principal.name,
          project_id: principal.projectId,
          authenticated_by: 'session' as const,
          csrf_token: session.csrfToken,
          expires_at: session.expiresAt.toISOString(),
        };
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/session',
      summary: 'Who am I: the caller’s role and name, and the session’s CSRF token',
      tags: ['session'],
      minimumRole: 'viewer',
      responses: { 200: sessionSchema },
      handler({ request }) {
        const principal = request.principal;
        if (principal === null) throw new SignalboxError('missing_api_key', 'Not logged in.');
        const session = request.adminSession;
        return {
          key_id: principal.keyId,
          role: principal.role,
          name: principal.name,
          project_id: principal.projectId,
          authenticated_by: session === null ? ('bearer' as const) : ('session' as const),
          csrf_token: session?.csrfToken ?? null,
          expires_at: session?.expiresAt.toISOString() ?? null,
        };
      },
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/session',
      summary: 'Log out this session',
      tags: ['session'],
      minimumRole: 'viewer',
      audit: { action: 'session.delete', targetType: 'session' },
      responses: { 200: z.object({ logged_out: z.boolean() }) },
      async handler({ request, reply }) {
        const session = request.adminSession;
        clearSessionCookie(request, reply);
        if (session === null) return { logged_out: false };
        await sessions.end(session.sessionId);
        return { logged_out: true };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/session/logout-all',
      summary: 'Log out everywhere: every session of the caller’s key, or of everyone (owner)',
      tags: ['session'],
      minimumRole: 'viewer',
      audit: { action: 'session.delete_all', targetType: 'session' },
      request: {
        body: z
          .object({
            scope: z
              .enum(['key', 'everyone'])
              .default('key')
              .describe('`everyone` ends every dashboard session of every key (owner only).'),
          })
          .nullish(),
      },
      responses: { 200: z.object({ ended: z.number().int() }) },
      async handler({ body, request, reply }) {
        const principal = request.principal;
        if (principal === null) throw new SignalboxError('missing_api_key', 'Not logged in.');
        const scope = body?.scope ?? 'key';
        if (scope === 'everyone' && principal.role !== 'owner')
          throw new SignalboxError(
            'permission_denied',
            'Only the owner can end every session; "scope": "key" ends your own.',
            { param: 'scope' },
          );
        const ended = await sessions.endAll(scope === 'everyone' ? null : principal.keyId);
        if (request.adminSession !== null) clearSessionCookie(request, reply);
        return { ended };
      },
    }),
  ];
}
