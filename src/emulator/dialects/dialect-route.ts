/**
 * The common flow of a vendor-dialect request (OpenAI, Anthropic, Gemini): read and parse the
 * body, open a ledger entry, authenticate as the vendor does, apply a programmed fault, replay a
 * matching recording, else validate and synthesize in the dialect's framing. Every request gets
 * a ledger entry recording what was sent (usage translated to OpenAI-style counts).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Usage } from '../../contracts/chat.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import type { EmulatorLedgerEntry, Fault } from '../emulator-types.ts';
import { BodyTooLargeError, delay, readBody } from '../http-io.ts';
import { catalogueModelFor, pricedUsage } from './dialect-pricing.ts';
import type { DialectReplay } from './dialect-recordings.ts';
import { writeDialectStream } from './dialect-stream-writer.ts';
import type {
  Dialect,
  DialectCall,
  DialectContext,
  DialectError,
  DialectStreamEvent,
} from './dialect-types.ts';
import { synthesizeTurn } from './synthesized-turn.ts';

interface Exchange {
  context: DialectContext;
  dialect: Dialect;
  response: ServerResponse;
  entry: EmulatorLedgerEntry;
  apiKey: string;
  fault: Fault | null;
  priced: ModelInfo | null;
}

// A per-process salt plus a counter keeps synthesized ids unique across emulators.
const SALT = randomBytes(4).readUInt32BE(0);
let serial = 0;

function sendBody(
  response: ServerResponse,
  status: number,
  text: string,
  contentType: string,
  headers: OutgoingHttpHeaders = {},
): void {
  response.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function settle(exchange: Exchange, status: number, usage: Usage | null, errored: boolean): void {
  const { entry } = exchange;
  entry.status = status;
  entry.outcome =
    exchange.fault !== null ? 'fault' : errored || status >= 400 ? 'error' : 'complete';
  const priced = usage === null ? null : pricedUsage(usage, exchange.priced);
  exchange.context.ledger.recordUsage(entry, priced, exchange.apiKey);
}

function sendError(exchange: Exchange, error: DialectError): void {
  sendBody(exchange.response, error.status, JSON.stringify(error.body), 'application/json', {
    ...error.headers,
    ...exchange.fault?.headers,
  });
  settle(exchange, error.status, null, true);
}

async function stream(
  exchange: Exchange,
  status: number,
  contentType: string,
  events: readonly DialectStreamEvent[],
): Promise<void> {
  exchange.response.writeHead(status, {
    'content-type': contentType,
    'cache-control': 'no-cache',
    ...exchange.fault?.headers,
  });
  exchange.entry.status = status;
  const fault = exchange.fault ?? {};
  const inBand =
    fault.errorChunkAfterChunks === undefined ? null : exchange.dialect.inBandError(fault.body);
  const result = await writeDialectStream(exchange.response, events, fault, inBand, (usage) => {
    settle(exchange, status, usage, false);
  });
  settle(exchange, status, result.usage, result.ending === 'in-band-error');
}

async function replay(exchange: Exchange, found: DialectReplay): Promise<void> {
  const { interaction, events } = found;
  exchange.entry.recording = `${interaction.file}#${interaction.index}`;
  if (events === null) {
    sendBody(
      exchange.response,
      interaction.status,
      interaction.bodyText,
      interaction.contentType,
      exchange.fault?.headers,
    );
    settle(exchange, interaction.status, found.usage, false);
    return;
  }
  await stream(exchange, interaction.status, interaction.contentType, events);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function answer(
  exchange: Exchange,
  call: DialectCall,
  body: Record<string, unknown>,
): Promise<void> {
  const { fault, context, dialect } = exchange;
  const waiting = delay(fault?.delayBeforeHeadersMs, exchange.response);
  if (waiting !== null) {
    await waiting;
    if (exchange.response.destroyed) {
      settle(exchange, 0, null, false);
      return;
    }
  }
  if (fault?.status !== undefined) {
    const error = dialect.errorFor(fault.status);
    sendError(exchange, fault.body === undefined ? error : { ...error, body: fault.body });
    return;
  }
  const found = context.recordings?.match(dialect, call.model, call.stream, body) ?? null;
  if (found !== null) {
    await replay(exchange, found);
    return;
  }
  if (call.model === '') {
    sendError(exchange, dialect.errorFor(400, 'model: Field required'));
    return;
  }
  const unknown = dialect.unknownModel(call.model);
  if (unknown !== null) {
    sendError(exchange, unknown);
    return;
  }
  const input = dialect.turnInput(body);
  if ('invalid' in input) {
    sendError(exchange, dialect.errorFor(400, input.invalid));
    return;
  }
  serial += 1;
  const turn = {
    ...synthesizeTurn(input),
    created: Math.floor(Date.now() / 1000),
    serial: (SALT + serial) >>> 0,
  };
  const rendered = dialect.render(call, turn, body);
  exchange.entry.generationId = rendered.responseId;
  if (!call.stream) {
    sendBody(
      exchange.response,
      200,
      rendered.bodyText,
      'application/json',
      exchange.fault?.headers,
    );
    settle(exchange, 200, rendered.usage, false);
    return;
  }
  await stream(exchange, 200, dialect.streamContentType, rendered.events);
}

/**
 * Handles one request of `dialect` end to end (client-caused problems are answered in the
 * vendor's error envelope, never thrown). `pathCall` carries the model and streaming mode when
 * the path names them (Gemini); otherwise they come from the body's `model` and `stream`.
 */
export async function handleDialectRequest(
  context: DialectContext,
  dialect: Dialect,
  request: IncomingMessage,
  response: ServerResponse,
  pathCall: { path: string; query: URLSearchParams; model?: string; stream?: boolean },
): Promise<void> {
  let text: string | null = null;
  try {
    text = await readBody(request);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) return;
  }
  let body: unknown = text;
  try {
    body = text === null ? null : JSON.parse(text);
  } catch {
    // Not JSON: the ledger keeps the raw text and the client gets a 400 below.
  }
  const record = isRecord(body) ? body : null;
  const call: DialectCall = {
    dialect: dialect.name,
    path: pathCall.path,
    model: pathCall.model ?? (typeof record?.model === 'string' ? record.model : ''),
    stream: pathCall.stream ?? record?.stream === true,
  };
  const entry = context.ledger.open({
    path: call.path,
    model: call.model === '' ? null : call.model,
    stream: call.stream,
    requestBody: body,
  });
  entry.dialect = dialect.name;
  const exchange: Exchange = {
    context,
    dialect,
    response,
    entry,
    apiKey: '',
    fault: null,
    priced: null,
  };
  const auth = dialect.authenticate(request, pathCall.query, context.apiKeys);
  if ('error' in auth) {
    sendError(exchange, auth.error);
    return;
  }
  exchange.apiKey = auth.key;
  if (text === null) {
    sendError(exchange, dialect.errorFor(413));
    return;
  }
  if (record === null) {
    sendError(exchange, dialect.errorFor(400, 'The request body is not valid JSON.'));
    return;
  }
  exchange.priced = catalogueModelFor(context.catalogue(), dialect.name, call.model);
  exchange.fault = context.faults.take(entry.model, entry.stream);
  if (exchange.fault !== null) entry.outcome = 'fault';
  await answer(exchange, call, record);
}
