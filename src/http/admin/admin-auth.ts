/**
 * The admin scope's authentication and authorization (an `onRequest` hook). The caller is a
 * bearer token resolved by the PrincipalResolver, else the dashboard session cookie; the
 * route's declared `minimumRole` decides. Cookie-authenticated mutations must also carry the
 * session's CSRF token in `x-csrf-token` (a bearer token cannot be sent by another site's
 * page, so bearer calls need none). Errors: 401 `missing_api_key` / `invalid_api_key` /
 * `session_expired`, 403 `permission_denied` / `invalid_csrf_token`.
 */
import type { FastifyRequest } from 'fastify';
import { SignalboxError } from '../../contracts/errors.ts';
import type { Principal } from '../../contracts/principal.ts';
import { bearerToken } from '../../security/master-key.ts';
import type { PrincipalResolver } from '../../security/principal-resolver.ts';
import { verifyCsrfToken } from '../../security/session-token.ts';
import { roleSatisfies, type MinimumRole } from './admin-route.ts';
import { sessionIdOf } from './session-cookie.ts';
import type { AdminSession, SessionService } from './session-service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The dashboard session the request came with, when it was cookie-authenticated. */
    adminSession: AdminSession | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface AdminAuthOptions {
  resolver: PrincipalResolver;
  sessions: SessionService;
}

interface Caller {
  principal: Principal | null;
  session: AdminSession | null;
}

async function identify(
  request: FastifyRequest,
  options: AdminAuthOptions,
  isPublic: boolean,
): Promise<Caller> {
  const token = bearerToken(request.headers.authorization);
  if (token !== null) {
    const principal = await options.resolver.resolve(token);
    if (principal === null && !isPublic)
      throw new SignalboxError('invalid_api_key', 'Invalid API key.');
    return { principal, session: null };
  }
  const sessionId = sessionIdOf(request);
  if (sessionId !== null) {
    const session = await options.sessions.read(sessionId);
    if (session === null && !isPublic)
      throw new SignalboxError(
        'session_expired',
        'The dashboard session has ended (logged out, idle or expired); log in again.',
      );
    return { principal: session?.principal ?? null, session };
  }
  if (!isPublic)
    throw new SignalboxError(
      'missing_api_key',
      'Missing API key: send "Authorization: Bearer <key>" or log in at /ui/.',
    );
  return { principal: null, session: null };
}

/** The hook: identifies the caller and enforces the route's minimum role and CSRF. */
export function createAdminAuthHook(options: AdminAuthOptions) {
  return async (request: FastifyRequest): Promise<void> => {
    // A route without a declared role (a 404 inside /admin) is treated as the strictest.
    const minimum: MinimumRole = request.routeOptions.config.minimumRole ?? 'owner';
    const isPublic = minimum === 'public';
    const { principal, session } = await identify(request, options, isPublic);
    request.principal = principal;
    request.adminSession = session;
    if (isPublic || principal === null) return;
    if (principal.role === 'client')
      throw new SignalboxError(
        'permission_denied',
        'Client keys reach only /v1 and /api/v1; the admin API needs an admin or viewer key.',
      );
    if (!roleSatisfies(principal.role, minimum))
      throw new SignalboxError(
        'permission_denied',
        `This route needs the ${minimum} role; the key "${principal.name}" is ${principal.role}.`,
      );
    if (
      session !== null &&
      !SAFE_METHODS.has(request.method) &&
      !verifyCsrfToken(headerValue(request.headers['x-csrf-token']), session.sessionId)
    )
      throw new SignalboxError(
        'invalid_csrf_token',
        'Send the session\'s CSRF token (from POST or GET /admin/session) in "x-csrf-token".',
      );
  };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
