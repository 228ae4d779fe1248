/**
 * What the chat and explain routes read from the HTTP request besides the body: the
 * `x-signalbox-timeout-ms` and `x-signalbox-max-cost-usd` headers and the client's OpenRouter
 * app attribution.
 */
import type { FastifyRequest } from 'fastify';
import { SignalboxError } from '../contracts/errors.ts';
import { MASTER_PRINCIPAL } from '../contracts/principal.ts';
import type { ChatInput } from '../gateway/index.ts';

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `x-signalbox-timeout-ms`: a whole number of ms ≥ 1. @throws SignalboxError `invalid_request`. */
function timeoutOf(request: FastifyRequest): number | undefined {
  const raw = header(request, 'x-signalbox-timeout-ms');
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || value < 1) {
    throw new SignalboxError(
      'invalid_request',
      'The x-signalbox-timeout-ms header must be a whole number of milliseconds (1 or more).',
      { param: 'x-signalbox-timeout-ms' },
    );
  }
  return value;
}

/** `x-signalbox-max-cost-usd`: a positive decimal, USD. @throws SignalboxError `invalid_request`. */
function maxCostOf(request: FastifyRequest): number | null {
  const raw = header(request, 'x-signalbox-max-cost-usd');
  if (raw === undefined) return null;
  const value = Number(raw);
  if (!/^\d{1,9}(\.\d{1,12})?$/.test(raw) || !(value > 0)) {
    throw new SignalboxError(
      'invalid_request',
      'The x-signalbox-max-cost-usd header must be a positive amount of USD, e.g. 0.05.',
      { param: 'x-signalbox-max-cost-usd' },
    );
  }
  return value;
}

/** The client's own OpenRouter app attribution, forwarded instead of Signalbox's defaults. */
function attributionOf(request: FastifyRequest): { referer?: string; title?: string } | undefined {
  const referer = header(request, 'http-referer');
  const title = header(request, 'x-openrouter-title') ?? header(request, 'x-title');
  if (referer === undefined && title === undefined) return undefined;
  return {
    ...(referer === undefined ? {} : { referer }),
    ...(title === undefined ? {} : { title }),
  };
}

/**
 * The pipeline's input for an HTTP chat (or explain) request.
 * @throws SignalboxError `invalid_request` for a malformed `x-signalbox-*` header
 */
export function chatInputOf(
  request: FastifyRequest,
  receivedAt: number,
  abort: AbortController,
): ChatInput {
  return {
    body: request.body,
    rawBody: request.rawBody,
    requestId: request.id,
    abort,
    receivedAt,
    principal: request.principal ?? MASTER_PRINCIPAL,
    timeoutMs: timeoutOf(request),
    maxCostUsd: maxCostOf(request),
    attribution: attributionOf(request),
    traceparent: header(request, 'traceparent'),
  };
}
