/**
 * How one attempt's outcome counts toward a target's health — decided here, once, for every
 * error code of src/contracts/errors.ts (health-effect.test.ts fails when a code is missing).
 */

/**
 * - `success`: the upstream served the attempt (closes a half-open circuit, feeds the EWMAs).
 * - `target_failure`: the provider × model failed in a way another attempt may not share
 *   (429, 5xx, timeouts, connection errors, a broken stream): counts toward its circuit.
 * - `provider_failure`: the provider refused the account itself (401/403 auth, 402 credits):
 *   every model of that provider is cooled down at once.
 * - `ignored`: the client's own fault or Signalbox's own decision: never trips anything.
 */
export type HealthEffect = 'success' | 'target_failure' | 'provider_failure' | 'ignored';

const effects: Readonly<Record<string, HealthEffect>> = {
  success: 'success',
  // The upstream failed, or could not be reached, for this target.
  rate_limited: 'target_failure',
  upstream_error: 'target_failure',
  upstream_invalid_response: 'target_failure',
  upstream_unavailable: 'target_failure',
  upstream_timeout: 'target_failure',
  stream_interrupted: 'target_failure',
  // The account is refused: no model of this provider will work until an operator acts.
  upstream_auth_failed: 'provider_failure',
  upstream_insufficient_credits: 'provider_failure',
  // The client's own request was at fault (the upstream judged it, or we did).
  invalid_request: 'ignored',
  invalid_json: 'ignored',
  missing_api_key: 'ignored',
  invalid_api_key: 'ignored',
  route_not_found: 'ignored',
  model_not_found: 'ignored',
  request_timeout: 'ignored',
  request_too_large: 'ignored',
  unsupported_media_type: 'ignored',
  upstream_invalid_request: 'ignored',
  upstream_content_filtered: 'ignored',
  unsupported_capability: 'ignored',
  cost_limit_exceeded: 'ignored',
  policy_not_found: 'ignored',
  conflict: 'ignored',
  client_closed_request: 'ignored',
  // Signalbox's own failures, overload and deadlines say nothing about the upstream.
  internal_error: 'ignored',
  deadline_exceeded: 'ignored',
};

/**
 * The health effect of an attempt status (`'success'` or a SignalboxError code). Codes this
 * table does not know count as `ignored`, so a new code can never trip a circuit by accident.
 */
export function healthEffect(status: string): HealthEffect {
  return Object.hasOwn(effects, status) ? (effects[status] ?? 'ignored') : 'ignored';
}

/** Every status the table classifies explicitly (for the completeness test). */
export const classifiedStatuses: readonly string[] = Object.keys(effects);
