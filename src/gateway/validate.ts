/**
 * Stage 1, validate: the parsed body becomes the request context's `RequestBody` (the typed
 * request with the client's bytes), or the request fails with `invalid_request` naming the field.
 */
import { withDefaultModel } from './authorize.ts';
import { RequestBody, type RequestContext } from './request-context.ts';
import { validateChatRequest } from './validate-chat-request.ts';

/** @throws SignalboxError `invalid_request` / `invalid_json`. */
export function validate(context: RequestContext, bytes: Buffer | null): void {
  // A key's default policy stands in for a missing model (the client's bytes then do not apply).
  const input = withDefaultModel(context.input, context.principal);
  context.body = RequestBody.fromClient(
    validateChatRequest(input),
    input === context.input ? bytes : null,
  );
  context.stream = context.body.request.stream === true;
}
