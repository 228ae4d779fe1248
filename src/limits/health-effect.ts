/**
 * How one attempt's outcome counts toward a target's health — read from the error table
 * (`upstreamHealth` in src/contracts/errors.ts), where every code's behaviour is decided once.
 */
import { errorCodes, type ErrorCode, type ErrorCodeSpec } from '../contracts/errors.ts';

/**
 * - `success`: the upstream served the attempt (closes a half-open circuit, feeds the EWMAs).
 * - `target_failure`: the provider × model failed in a way another attempt may not share
 *   (429, 5xx, timeouts, connection errors, a broken stream): counts toward its circuit.
 * - `provider_failure`: the provider refused the account itself (401/403 auth, 402 credits):
 *   every model of that provider is cooled down at once.
 * - `ignored`: the client's own fault or Signalbox's own decision: never trips anything.
 */
export type HealthEffect = 'success' | 'target_failure' | 'provider_failure' | 'ignored';

const fromSpec: Readonly<Record<'target' | 'provider', HealthEffect>> = {
  target: 'target_failure',
  provider: 'provider_failure',
};
/**
 * The health effect of an attempt status (`'success'` or a SignalboxError code). A code without
 * `upstreamHealth`, or one the table does not know, is `ignored`: it can never trip a circuit.
 */
export function healthEffect(status: string): HealthEffect {
  if (status === 'success') return 'success';
  if (!Object.hasOwn(errorCodes, status)) return 'ignored';
  const spec: ErrorCodeSpec = errorCodes[status as ErrorCode];
  const health = spec.upstreamHealth;
  return health === undefined ? 'ignored' : fromSpec[health];
}
