/**
 * The admin providers API (provider instances added, edited, disabled and deleted at run time,
 * their connectivity test) and the vault's status and key rotation. Handlers are one call to
 * the service the composition root builds (src/compose-provider-admin.ts); every mutation writes
 * its audit row in the change's transaction (`audit.transaction`).
 */
import { defineAdminRoute, type AdminRoute } from '../admin/admin-route.ts';
import type { AuditScope } from '../admin/admin-audit.ts';
import {
  providerCreateBody,
  providerIdParams,
  providerListResponse,
  providerPatchBody,
  providerResponse,
  providerTestResponse,
  vaultRotateResponse,
  vaultStatusResponse,
  type ProviderCreateBody,
  type ProviderPatchBody,
  type ProviderTestResult,
  type ProviderView,
  type VaultRotation,
  type VaultStatus,
} from '../admin/provider-schemas.ts';

/** The audited transaction a mutation runs in (AuditScope.transaction). */
export type AuditedTransaction = AuditScope['transaction'];

export interface ProviderAdmin {
  /** Built-in OpenRouter, then configured instances, then those added through the API. */
  list(): Promise<ProviderView[]>;
  /** @throws SignalboxError `provider_not_found` */
  get(id: string): Promise<ProviderView>;
  /**
   * @throws SignalboxError `provider_read_only` (a configured id), `conflict` (id taken),
   * `invalid_request` (SSRF guard, missing key), `encryption_key_missing`
   */
  create(
    body: ProviderCreateBody,
    actor: string,
    transaction: AuditedTransaction,
  ): Promise<ProviderView>;
  /** @throws `provider_not_found`, `provider_read_only`, `invalid_request`, `encryption_key_missing` */
  update(
    id: string,
    patch: ProviderPatchBody,
    actor: string,
    transaction: AuditedTransaction,
  ): Promise<ProviderView>;
  /** @throws `provider_not_found`, `provider_read_only` */
  remove(id: string, transaction: AuditedTransaction): Promise<ProviderView>;
  /** Connectivity, authentication, model count, latency. Never throws for upstream failures. */
  test(id: string): Promise<ProviderTestResult>;
  vaultStatus(): Promise<VaultStatus>;
  /** Re-wraps every data key under the current key (a new one first, for a demo key file). */
  rotate(transaction: AuditedTransaction): Promise<VaultRotation>;
}

const tags = ['providers'];

function actorOf(principal: { keyId: string } | null): string {
  return principal?.keyId ?? 'master';
}

export function adminProviderRoutes(service: ProviderAdmin): AdminRoute[] {
  return [
    defineAdminRoute({
      method: 'GET',
      url: '/providers',
      summary:
        'Every provider instance: built in, configured (read-only) and added through the API',
      tags,
      minimumRole: 'viewer',
      responses: { 200: providerListResponse },
      async handler() {
        return { data: await service.list() };
      },
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/providers',
      summary: 'Add a provider instance (its API key is stored encrypted, never returned)',
      tags,
      minimumRole: 'admin',
      audit: { action: 'providers.create', targetType: 'provider' },
      request: { body: providerCreateBody },
      responses: { 201: providerResponse },
      async handler({ body, principal, audit, reply }) {
        const created = await service.create(body, actorOf(principal), (work, details) =>
          audit.transaction(work, details),
        );
        return reply.code(201).send(created);
      },
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/providers/:id',
      summary: 'One provider instance',
      tags,
      minimumRole: 'viewer',
      request: { params: providerIdParams },
      responses: { 200: providerResponse },
      handler: ({ params }) => service.get(params.id),
    }),
    defineAdminRoute({
      method: 'PATCH',
      url: '/providers/:id',
      summary:
        'Change a provider instance (every instance of Signalbox picks it up within seconds)',
      tags,
      minimumRole: 'admin',
      audit: { action: 'providers.update', targetType: 'provider' },
      request: { params: providerIdParams, body: providerPatchBody },
      responses: { 200: providerResponse },
      handler: ({ params, body, principal, audit }) =>
        service.update(params.id, body, actorOf(principal), (work, details) =>
          audit.transaction(work, details),
        ),
    }),
    defineAdminRoute({
      method: 'DELETE',
      url: '/providers/:id',
      summary: 'Delete a provider instance added through the API',
      tags,
      minimumRole: 'admin',
      audit: { action: 'providers.delete', targetType: 'provider' },
      request: { params: providerIdParams },
      responses: { 200: providerResponse },
      handler: ({ params, audit }) =>
        service.remove(params.id, (work, details) => audit.transaction(work, details)),
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/providers/:id/test',
      summary: 'Test a provider: connectivity, authentication, model count and latency',
      tags,
      minimumRole: 'admin',
      readOnly: true,
      request: { params: providerIdParams },
      responses: { 200: providerTestResponse },
      handler: ({ params }) => service.test(params.id),
    }),
    defineAdminRoute({
      method: 'GET',
      url: '/vault',
      summary: 'The vault: its key id and how many secrets are still wrapped by a previous key',
      tags: ['vault'],
      minimumRole: 'viewer',
      responses: { 200: vaultStatusResponse },
      handler: () => service.vaultStatus(),
    }),
    defineAdminRoute({
      method: 'POST',
      url: '/vault/rotate',
      summary: 'Re-wrap every data key under the current encryption key (online)',
      description:
        'With a key from SIGNALBOX_ENCRYPTION_KEY, re-wraps what is still wrapped by ' +
        'SIGNALBOX_ENCRYPTION_KEY_PREVIOUS; with the demo key file, generates a new key first.',
      tags: ['vault'],
      minimumRole: 'owner',
      audit: { action: 'vault.rotate', targetType: 'vault' },
      responses: { 200: vaultRotateResponse },
      handler: ({ audit }) => service.rotate((work, details) => audit.transaction(work, details)),
    }),
  ];
}
