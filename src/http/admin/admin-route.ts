/**
 * Admin routes as data: each route declares its method, URL, summary, minimum role and the
 * zod schemas of its params, query, body and responses. The same definition validates the
 * request (bad input → `invalid_request` naming the field), authorizes it (admin-auth.ts
 * reads `minimumRole` from the route's config) and is published as OpenAPI 3.1
 * (admin-openapi.ts). A list of AdminRoute values is the whole admin API, so tests and docs
 * can walk it.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { SignalboxError } from '../../contracts/errors.ts';
import type { Principal, Role } from '../../contracts/principal.ts';
import type { AuditRepository } from '../../storage/index.ts';
import { startAudit, type AuditScope, type AuditSpec } from './admin-audit.ts';

/**
 * Who may call a route: `public` needs no credential (login, the OpenAPI document); otherwise
 * the least role admitted (`owner` > `admin` > `viewer`). Client keys never reach admin routes.
 */
export type MinimumRole = 'public' | Exclude<Role, 'client'>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A response: a JSON body schema, null for no body, or explicit media types. */
export type AdminResponseSpec =
  z.ZodType | null | { description: string; content: Readonly<Record<string, z.ZodType>> };

/** What a handler receives: the validated (and transformed) input and the Fastify objects. */
export interface AdminRouteContext<Params, Query, Body> {
  params: Params;
  query: Query;
  body: Body;
  /** The caller; the master key's principal on routes registered without admin auth (tests). */
  principal: Principal | null;
  request: FastifyRequest;
  reply: FastifyReply;
  /** A mutation's audit record (admin-audit.ts); inert on reads. */
  audit: AuditScope;
}

export interface AdminRouteSpec<
  Params extends z.ZodType,
  Query extends z.ZodType,
  Body extends z.ZodType,
> {
  method: HttpMethod;
  /** Fastify path relative to `/admin` (`/catalog/sync/:id`, `/catalog/models/*`). */
  url: string;
  /** OpenAPI path relative to `/admin` when it differs (`*` → `{id}`). */
  openapiPath?: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  minimumRole: MinimumRole;
  request?: { params?: Params; query?: Query; body?: Body };
  /** By HTTP status; every route also answers errors as the OpenAI error body. */
  responses: Readonly<Record<number, AdminResponseSpec>>;
  /**
   * A mutation: one audit-log row per successful call (admin-audit.ts). Every route but a GET
   * must declare it, or `readOnly` (a POST that only reads, like compare or explain).
   */
  audit?: AuditSpec;
  /** A non-GET route that changes nothing. */
  readOnly?: true;
  handler(context: AdminRouteContext<z.output<Params>, z.output<Query>, z.output<Body>>): unknown;
}

/** What every route is handed by the registry, beside the request. */
export interface AdminRouteServices {
  /** Null without a database (route unit tests): nothing is audited. */
  audit: AuditRepository | null;
}

/** A defined route, its input types erased: what registries and generators walk. */
export interface AdminRoute {
  readonly method: HttpMethod;
  readonly url: string;
  readonly openapiPath: string;
  readonly summary: string;
  readonly description: string | undefined;
  readonly tags: readonly string[];
  readonly minimumRole: MinimumRole;
  readonly request: { params?: z.ZodType; query?: z.ZodType; body?: z.ZodType };
  readonly responses: Readonly<Record<number, AdminResponseSpec>>;
  /** Set on mutations: what the audit log records. */
  readonly audit: AuditSpec | undefined;
  /** A non-GET route that changes nothing (not audited). */
  readonly readOnly: boolean;
  /** Validates the request against the schemas and runs the handler. */
  handle(
    request: FastifyRequest,
    reply: FastifyReply,
    services: AdminRouteServices,
  ): Promise<unknown>;
  /**
   * Set on a route whose handler is another module's Fastify route mounted under /admin
   * (the playground's chat completions): registers it on `scope`, instead of `handle`.
   */
  readonly mount: ((scope: FastifyInstance) => void) | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of an admin route (set by the admin auth hook). */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Set on every admin route: the least role that may call it. */
    minimumRole?: MinimumRole;
  }
}

/** The audit scope of a read: describing does nothing, transactions are plain. */
const inertAudit: AuditScope = {
  describe: () => undefined,
  within: () => Promise.resolve(),
  transaction: () =>
    Promise.reject(new Error('a read-only admin route opened an audited transaction')),
};

const rank: Readonly<Record<Role, number>> = { client: 0, viewer: 1, admin: 2, owner: 3 };

/** Whether `role` may call a route that needs `minimum`. */
export function roleSatisfies(role: Role, minimum: MinimumRole): boolean {
  return minimum === 'public' || rank[role] >= rank[minimum];
}

function fieldName(path: readonly PropertyKey[], where: 'params' | 'query' | 'body'): string {
  if (path.length === 0) return where;
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

/** Parses one part of the request; the first issue becomes `invalid_request` with its field. */
function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  where: 'params' | 'query' | 'body',
): unknown {
  if (schema === undefined) return value;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = fieldName(issue?.path ?? [], where);
  const message =
    issue === undefined
      ? `Invalid ${where}.`
      : issue.path.length === 0 && where === 'body'
        ? 'The request body must be a JSON object.'
        : issue.code === 'custom' || issue.message.startsWith('"')
          ? issue.message
          : `"${param}": ${issue.message}`;
  throw new SignalboxError('invalid_request', message, { param });
}

/**
 * Defines an admin route. The handler's input types follow from the schemas; a missing schema
 * passes that part through unparsed.
 */
export function defineAdminRoute<
  Params extends z.ZodType = z.ZodUnknown,
  Query extends z.ZodType = z.ZodUnknown,
  Body extends z.ZodType = z.ZodUnknown,
>(spec: AdminRouteSpec<Params, Query, Body>): AdminRoute {
  const request = spec.request ?? {};
  return Object.freeze({
    method: spec.method,
    url: spec.url,
    openapiPath: spec.openapiPath ?? spec.url.replace(/:([A-Za-z_]+)/g, '{$1}'),
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    minimumRole: spec.minimumRole,
    request,
    responses: spec.responses,
    audit: spec.audit,
    readOnly: spec.readOnly === true,
    mount: undefined,
    async handle(
      fastifyRequest: FastifyRequest,
      reply: FastifyReply,
      services: AdminRouteServices,
    ): Promise<unknown> {
      const params = parsePart(request.params, fastifyRequest.params, 'params');
      const query = parsePart(request.query, fastifyRequest.query, 'query');
      const body = parsePart(request.body, fastifyRequest.body, 'body');
      const audit =
        spec.audit === undefined
          ? null
          : startAudit(spec.audit, fastifyRequest, { params, body }, services.audit);
      const result: unknown = await Promise.resolve(
        spec.handler({
          params: params as z.output<Params>,
          query: query as z.output<Query>,
          body: body as z.output<Body>,
          principal: fastifyRequest.principal,
          request: fastifyRequest,
          reply,
          audit: audit?.scope ?? inertAudit,
        }),
      );
      await audit?.complete();
      return result;
    },
  });
}

/**
 * Defines a route whose handler is mounted by `mount` (e.g. a shared route registered under a
 * prefix). Its schemas only document it; validation is the mounted handler's own.
 */
export function defineMountedAdminRoute(
  spec: Omit<AdminRouteSpec<z.ZodType, z.ZodType, z.ZodType>, 'handler'> & {
    mount(scope: FastifyInstance): void;
  },
): AdminRoute {
  return Object.freeze({
    method: spec.method,
    url: spec.url,
    openapiPath: spec.openapiPath ?? spec.url,
    summary: spec.summary,
    description: spec.description,
    tags: spec.tags,
    minimumRole: spec.minimumRole,
    request: spec.request ?? {},
    responses: spec.responses,
    audit: spec.audit,
    readOnly: spec.readOnly === true,
    mount: (scope: FastifyInstance) => {
      spec.mount(scope);
    },
    handle: () => Promise.reject(new Error(`${spec.url} is mounted, not handled`)),
  });
}
