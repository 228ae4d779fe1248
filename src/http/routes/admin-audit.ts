/**
 * `GET /admin/audit` (viewer): the audit log, newest first — one row per admin mutation with
 * its actor, action, target, before/after (secrets masked), client IP and request id.
 * Append-only: the API has no route that changes it.
 */
import { z } from 'zod';
import type { StoredAuditEntry } from '../../contracts/audit.ts';
import type { AuditRepository } from '../../storage/index.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';

const isoTime = z.iso
  .datetime({ offset: true })
  .transform((value) => new Date(value))
  .describe('ISO 8601 time');

const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    actor: z.object({ key_id: z.string(), role: z.string(), name: z.string() }),
    action: z.string(),
    target_type: z.string(),
    target_id: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    client_ip: z.string().nullable(),
    request_id: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' });

/** One entry in the API's shape. */
export function auditEntryBody(entry: StoredAuditEntry): z.infer<typeof auditEntrySchema> {
  return {
    id: entry.id,
    at: entry.at.toISOString(),
    actor: { key_id: entry.actor.keyId, role: entry.actor.role, name: entry.actor.name },
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId,
    before: entry.before,
    after: entry.after,
    client_ip: entry.clientIp,
    request_id: entry.requestId,
  };
}

export function adminAuditRoutes(audit: AuditRepository): AdminRoute[] {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/audit',
      summary: 'The audit log, newest first (every admin mutation, secrets masked)',
      tags: ['audit'],
      minimumRole: 'viewer',
      request: {
        query: z.object({
          actor: z.string().min(1).optional().describe('Actor key id (`master` or a key id).'),
          target: z.string().min(1).optional().describe('`type` or `type:id`, e.g. `key:key_…`.'),
          action: z.string().min(1).optional(),
          from: isoTime.optional(),
          to: isoTime.optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
          cursor: z.string().min(1).optional(),
        }),
      },
      responses: {
        200: z.object({ data: z.array(auditEntrySchema), next_cursor: z.string().nullable() }),
      },
      async handler({ query }) {
        const page = await audit.list({ ...query, cursor: query.cursor ?? null });
        return { data: page.data.map(auditEntryBody), next_cursor: page.nextCursor };
      },
    }),
  ];
}
