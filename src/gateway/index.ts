/** The pipeline's public surface for the HTTP layer, the library and the composition root. */
export { handleChat, type ChatInput } from './handle-chat.ts';
export {
  alwaysHealthy,
  unlimitedRetries,
  type Admission,
  type GatewayLogger,
  type GatewayServices,
  type HealthGate,
  type ResiliencePolicy,
  type RetryGate,
} from './gateway-services.ts';
export type { ChunkWriter, ResponseWriter } from './response-writer.ts';
export type { RequestBody, RequestContext, Reservation } from './request-context.ts';
export { validateChatRequest } from './validate-chat-request.ts';
export { explainRoute } from './explain.ts';
