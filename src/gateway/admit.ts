/**
 * Stage 3, admit: rate limits, the queue and budget reservations decide whether the request
 * may go upstream now. The seam is `GatewayServices.admission` (governance fills it); without
 * one every request is admitted.
 */
import type { GatewayServices } from './gateway-services.ts';
import type { RequestContext } from './request-context.ts';

/** @throws SignalboxError when the request is refused (e.g. `rate_limit_exceeded`). */
export async function admit(context: RequestContext, services: GatewayServices): Promise<void> {
  if (services.admission !== null) await services.admission.admit(context);
}
