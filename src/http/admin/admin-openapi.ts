/**
 * The admin API as an OpenAPI 3.1 document, generated from the AdminRoute definitions with
 * zod 4's own JSON Schema output (draft 2020-12, the dialect OpenAPI 3.1 uses). Request
 * schemas are described as clients send them (`io: 'input'`), responses as the server sends
 * them (`io: 'output'`). Schemas named with `.meta({ id })` become `components.schemas`.
 * Spec: https://spec.openapis.org/oas/v3.1.0
 */
import { z } from 'zod';
import type { AdminResponseSpec, AdminRoute } from './admin-route.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

/** The OpenAI-shaped error body every admin route answers errors with. */
export const errorBodySchema = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string(),
      param: z.string().nullable(),
      code: z.string().describe('A stable code from docs/errors.md.'),
    }),
  })
  .meta({ id: 'ErrorBody' });

type JsonSchema = Record<string, unknown>;

interface Components {
  schemas: Record<string, JsonSchema>;
}

/** Converts a schema, hoisting its `$defs` into the document's components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: Components): JsonSchema {
  const converted = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  delete converted.$schema;
  const defs = (converted.$defs ?? {}) as Record<string, JsonSchema>;
  delete converted.$defs;
  for (const [id, definition] of Object.entries(defs)) {
    const existing = components.schemas[id];
    if (existing === undefined) components.schemas[id] = rewriteRefs(definition) as JsonSchema;
  }
  return rewriteRefs(converted) as JsonSchema;
}

function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key,
      key === '$ref' && typeof inner === 'string'
        ? inner.replace('#/$defs/', '#/components/schemas/')
        : rewriteRefs(inner),
    ]),
  );
}

function parameters(
  schema: z.ZodType | undefined,
  location: 'path' | 'query',
  openapiPath: string,
  components: Components,
): JsonSchema[] {
  if (schema === undefined) return [];
  const converted = toSchema(schema, 'input', components);
  const properties = (converted.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((converted.required ?? []) as string[]);
  // A Fastify wildcard (`*`) takes the name of the OpenAPI path's last template.
  const wildcardName = /\{([^}]+)\}$/.exec(openapiPath)?.[1] ?? 'path';
  return Object.entries(properties).map(([name, property]) => {
    const description = property.description;
    return {
      name: name === '*' ? wildcardName : name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(typeof description === 'string' ? { description } : {}),
      schema: property,
    };
  });
}

function response(spec: AdminResponseSpec, status: number, components: Components): JsonSchema {
  const description = status >= 200 && status < 300 ? 'Success' : 'Response';
  if (spec === null) return { description };
  if ('content' in spec && 'description' in spec && !(spec instanceof z.ZodType)) {
    return {
      description: spec.description,
      content: Object.fromEntries(
        Object.entries(spec.content).map(([type, schema]) => [
          type,
          { schema: toSchema(schema, 'output', components) },
        ]),
      ),
    };
  }
  return {
    description,
    content: { 'application/json': { schema: toSchema(spec, 'output', components) } },
  };
}

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The OpenAPI 3.1 document of `routes`, mounted under `/admin`. */
export function buildAdminOpenApi(routes: readonly AdminRoute[], info: OpenApiInfo): JsonSchema {
  const components: Components = { schemas: {} };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/admin${route.openapiPath}`;
    const operation: Record<string, unknown> = {
      operationId: `${route.method.toLowerCase()}${path
        .replace(/\{([^}]+)\}/g, 'By_$1')
        .split(/[^A-Za-z0-9]+/)
        .filter((part) => part !== '')
        .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
        .join('')}`,
      summary: route.summary,
      ...(route.description === undefined ? {} : { description: route.description }),
      tags: route.tags,
      'x-minimum-role': route.minimumRole,
      ...(route.audit === undefined ? {} : { 'x-audit-action': route.audit.action }),
      ...(route.readOnly ? { 'x-read-only': true } : {}),
      security: route.minimumRole === 'public' ? [] : [{ bearer: [] }, { session: [] }],
      parameters: [
        ...parameters(route.request.params, 'path', route.openapiPath, components),
        ...parameters(route.request.query, 'query', route.openapiPath, components),
      ],
      ...(route.request.body === undefined
        ? {}
        : {
            requestBody: {
              required: !route.request.body.safeParse(undefined).success,
              content: {
                'application/json': {
                  schema: toSchema(route.request.body, 'input', components),
                },
              },
            },
          }),
      responses: {
        ...Object.fromEntries(
          Object.entries(route.responses).map(([status, spec]) => [
            status,
            response(spec, Number(status), components),
          ]),
        ),
        default: {
          description: 'An error (docs/errors.md)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
        },
      },
    };
    paths[path] = { ...paths[path], [route.method.toLowerCase()]: operation };
  }
  toSchema(errorBodySchema, 'output', components);
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    paths,
    components: {
      ...components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'The master key (owner), or an admin or viewer key.',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description:
            'The dashboard session from POST /admin/session; mutations also need the `x-csrf-token` header.',
        },
      },
    },
  };
}
