/**
 * The `x-signalbox-route` response header: `policy=<name>@<version>; variant=<v>;
 * model=<id>; provider=<instance>` (policy and variant omitted when none). It names the target
 * that served the request; when that was not the plan's first choice it adds `fallback=<n>`,
 * the position of the serving target in the plan (1 = first fallback).
 */
import type { RoutingDecision } from '../contracts/routing-decision.ts';

const UNSAFE = /[^\x21-\x7e]/;
const UNSAFE_ALL = /[^\x21-\x7e]/g;

/** Header values must be visible ASCII; a client-chosen model id may not be. */
function safe(value: string): string {
  return UNSAFE.test(value) ? value.replace(UNSAFE_ALL, '?') : value;
}

export interface ServedTarget {
  model: string;
  provider: string;
  /** 0 = the first choice. */
  position: number;
}

export function routeHeader(decision: RoutingDecision, served?: ServedTarget): string {
  const model = served?.model ?? decision.selected_model ?? decision.requested_model;
  const provider = served?.provider ?? decision.selected_provider ?? 'none';
  let header = `model=${safe(model)}; provider=${safe(provider)}`;
  const policy = decision.policy;
  if (policy !== null) {
    const variant = policy.variant === null ? '' : `variant=${policy.variant}; `;
    header = `policy=${policy.name}@${policy.version}; ${variant}${header}`;
  }
  if (served !== undefined && served.position > 0) header += `; fallback=${served.position}`;
  return header;
}
