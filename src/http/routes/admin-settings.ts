/** `GET/PUT /admin/settings`: the run-time switches (src/config/runtime-settings.ts), audited. */
import { z } from 'zod';
import {
  runtimeSettingsInput,
  type RuntimeSettings,
  type RuntimeSettingsInput,
} from '../../config/runtime-settings.ts';
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import type { AuditScope } from '../admin/admin-audit.ts';

export interface SettingsAdmin {
  /** The effective settings and the stored document. */
  get(): Promise<{ effective: RuntimeSettings; stored: RuntimeSettingsInput }>;
  /** Replaces the stored document (left-out fields return to their defaults); applied at once. */
  put(
    input: RuntimeSettingsInput,
    transaction: AuditScope['transaction'],
  ): Promise<{ effective: RuntimeSettings; stored: RuntimeSettingsInput }>;
}

const settingsResponse = z
  .object({
    routing_policies_enabled: z.boolean(),
    fallback_reply: z.string().nullable(),
    queueing_enabled: z.boolean(),
    stored: runtimeSettingsInput.meta({
      description: 'What PUT stored; a field left out takes its default.',
    }),
  })
  .meta({ id: 'RuntimeSettings' });

export function adminSettingsRoutes(service: SettingsAdmin): AdminRoute[] {
  const body = (result: { effective: RuntimeSettings; stored: RuntimeSettingsInput }) => ({
    ...result.effective,
    stored: result.stored,
  });
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/settings',
      summary: 'The run-time switches (effective values)',
      tags: ['settings'],
      minimumRole: 'viewer',
      responses: { 200: settingsResponse },
      handler: async () => body(await service.get()),
    }),
    defineAdminRoute({
      method: 'PUT',
      url: '/settings',
      summary: 'Replace the run-time switches (every instance applies them within seconds)',
      tags: ['settings'],
      minimumRole: 'admin',
      audit: { action: 'settings.update', targetType: 'settings' },
      request: { body: runtimeSettingsInput },
      responses: { 200: settingsResponse },
      handler: async ({ body: input, audit }) =>
        body(await service.put(input, (work, details) => audit.transaction(work, details))),
    }),
  ];
}
