/** Named shapes of admin API responses, read off the generated OpenAPI types (schema.d.ts). */
import type { operations } from './schema';
import type { Schemas } from './client';

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;
/** The JSON body of an operation's 200 (or 201) response. */
export type ResponseOf<Operation extends keyof operations> = operations[Operation] extends {
  responses: infer Responses;
}
  ? Responses extends { 200: infer Ok }
    ? Json<Ok>
    : Responses extends { 201: infer Created }
      ? Json<Created>
      : never
  : never;

export type LedgerRequest = Schemas['LedgerRequest'];
/** The routing decision stored with a request and returned by explain / policy test. */
export type RoutingDecision = NonNullable<LedgerRequest['routing_decision']>;
/** A routing policy as stored: the document plus version, updated_at, updated_by. */
export type StoredPolicy = ResponseOf<'getAdminRoutingPoliciesByName'>;
export type PolicyVersion = ResponseOf<'getAdminRoutingPoliciesByNameVersions'>['data'][number];
export type ExperimentReport = ResponseOf<'getAdminRoutingPoliciesByNameExperiment'>;
export type AuditEntry = Schemas['AuditEntry'];
