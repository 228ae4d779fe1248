/** The pipeline's public surface for the HTTP layer, the library and the composition root. */
export { handleChat, type ChatInput, type ChatOutcome } from './handle-chat.ts';
export type { GatewayLogger, GatewayServices, StreamSink } from './gateway-services.ts';
export { validateChatRequest } from './validate-chat-request.ts';
