/**
 * Stage 1, validate: the parsed body becomes the request context's `RequestBody` (the typed
 * request with the client's bytes), or the request fails with `invalid_request` naming the field.
 */
import { RequestBody, type RequestContext } from './request-context.ts';
import { validateChatRequest } from './validate-chat-request.ts';

/** @throws SignalboxError `invalid_request` / `invalid_json`. */
export function validate(context: RequestContext, bytes: Buffer | null): void {
  context.body = RequestBody.fromClient(validateChatRequest(context.input), bytes);
  context.stream = context.body.request.stream === true;
}
