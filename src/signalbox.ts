/**
 * Signalbox in-process: `createSignalbox(options)` runs the same pipeline as the server —
 * routing, fallback, retries, the ledger — from a configuration object instead of the
 * environment, with PGlite, PostgreSQL or no persistence. No HTTP involved.
 */
import path from 'node:path';
import { pino, type Logger } from 'pino';
import { loadConfig, type Config, type UpstreamTimeouts } from './config/config.ts';
import { parseConfigDocument } from './config/config-file.ts';
import type { ChatCompletion, ChatCompletionRequest } from './contracts/chat.ts';
import { SignalboxError } from './contracts/errors.ts';
import type { RequestPage } from './contracts/ledger.ts';
import type { StreamPart } from './contracts/stream-part.ts';
import { composeGateway, type GatewayCore } from './compose-gateway.ts';
import type { RoutingDecision } from './contracts/routing-decision.ts';
import {
  explainRoute,
  handleChat,
  type ChatInput,
  type ChunkWriter,
  type ResponseWriter,
} from './gateway/index.ts';
import { createAsyncQueue } from './lib/async-queue.ts';
import { MASTER_PRINCIPAL } from './contracts/principal.ts';
import { createRequestId } from './lib/ids.ts';
import { toStreamParts, type ChunkEvent } from './providers/index.ts';

/** A direct provider, as in the configuration file (`apiKey` given literally or as `env:NAME`). */
export interface SignalboxProviderOptions {
  id: string;
  type?: 'openrouter' | 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
  apiKey?: string;
  baseUrl?: string;
  /** Canonical OpenRouter id → native model name. */
  models?: Record<string, string>;
  /** Also serve the author's catalogued models by naming convention (default: on for the three vendors). */
  catalogue?: boolean;
  headers?: Record<string, string>;
}

export interface SignalboxOptions {
  /** OpenRouter credentials; absent = demo mode (the built-in emulator answers). */
  openrouter?: { apiKey: string; baseUrl?: string; appUrl?: string; appTitle?: string };
  providers?: SignalboxProviderOptions[];
  /** Private hosts, IPs or CIDRs provider base URLs may reach (local model servers). */
  allowedPrivateHosts?: string[];
  /** Where the ledger goes: nowhere (default), PGlite in a directory, or PostgreSQL. */
  storage?: 'none' | { dataDir: string } | { databaseUrl: string };
  /** Retries before the first byte (default 2). */
  maxRetries?: number;
  /** Whole-request deadline, ms (default 300000). */
  requestTimeoutMs?: number;
  /** Streams: time to first token before the next candidate takes over, ms (default 5000). */
  fallbackTtftMs?: number;
  /** When every candidate fails, answer with this assistant text instead of throwing (default off). */
  fallbackReply?: string;
  /** Upstream timeouts in ms; unset fields keep the server's defaults. */
  timeouts?: Partial<UpstreamTimeouts>;
  /** Default: silent. */
  logger?: Logger;
}

export interface SignalboxChatResult {
  completion: ChatCompletion;
  /** The Signalbox provider instance that served it (`openrouter`, `anthropic`, …); null for a graceful reply. */
  provider: string | null;
  /** The ledger id of the request. */
  requestId: string;
  /** The `x-signalbox-route` summary: `policy=…@…; variant=…; model=…; provider=…` (docs/routing.md). */
  route: string | null;
  /** True when every candidate failed and the configured graceful reply stands in (`fallbackReply` option). */
  fallbackReply: boolean;
}

export interface Signalbox {
  /** `demo` when the built-in emulator stands in for OpenRouter. */
  readonly mode: 'demo' | 'live';
  /** Non-streaming chat. @throws SignalboxError (same codes as the HTTP API, docs/errors.md). */
  chat(
    request: ChatCompletionRequest,
    options?: { signal?: AbortSignal; maxCostUsd?: number },
  ): Promise<SignalboxChatResult>;
  /**
   * The routing decision the request would get (`POST /v1/route/explain`), calling nothing.
   * @throws SignalboxError `invalid_request` for a request that is not a valid chat request
   */
  explain(request: ChatCompletionRequest, options?: { maxCostUsd?: number }): RoutingDecision;
  /**
   * Streaming chat as typed parts (tool calls reassembled). Errors before the first part throw
   * SignalboxError; after it, an `error` part ends the stream. Stopping early aborts upstream.
   */
  chatStream(
    request: ChatCompletionRequest,
    options?: { signal?: AbortSignal },
  ): AsyncIterable<StreamPart>;
  /** The ledger, newest first. @throws SignalboxError when `storage` is `none`. */
  requests(options?: { limit?: number; cursor?: string | null }): Promise<RequestPage>;
  /** Flushes the ledger and releases everything. */
  close(): Promise<void>;
}

function configFrom(options: SignalboxOptions): Config {
  const defaults = loadConfig({});
  const document = parseConfigDocument(
    { providers: options.providers ?? [], allowedPrivateHosts: options.allowedPrivateHosts ?? [] },
    'createSignalbox options',
  );
  const storage = options.storage ?? 'none';
  return {
    ...defaults,
    dataDir:
      typeof storage === 'object' && 'dataDir' in storage ? storage.dataDir : defaults.dataDir,
    journalDir: path.join(
      typeof storage === 'object' && 'dataDir' in storage ? storage.dataDir : defaults.dataDir,
      'journal',
    ),
    databaseUrl:
      typeof storage === 'object' && 'databaseUrl' in storage ? storage.databaseUrl : null,
    openrouter: {
      ...defaults.openrouter,
      apiKey: options.openrouter?.apiKey ?? null,
      ...(options.openrouter?.baseUrl === undefined
        ? {}
        : { baseUrl: options.openrouter.baseUrl.replace(/\/+$/, '') }),
      ...(options.openrouter?.appUrl === undefined ? {} : { appUrl: options.openrouter.appUrl }),
      ...(options.openrouter?.appTitle === undefined
        ? {}
        : { appTitle: options.openrouter.appTitle }),
    },
    timeouts: { ...defaults.timeouts, ...options.timeouts },
    maxRetries: options.maxRetries ?? defaults.maxRetries,
    requestTimeoutMs: options.requestTimeoutMs ?? defaults.requestTimeoutMs,
    fallbackTtftMs: options.fallbackTtftMs ?? defaults.fallbackTtftMs,
    fallbackReply: options.fallbackReply ?? defaults.fallbackReply,
    providers: document.providers,
    allowedPrivateHosts: document.allowedPrivateHosts,
  };
}

function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  signal?.addEventListener(
    'abort',
    () => {
      controller.abort(
        signal.reason instanceof SignalboxError
          ? signal.reason
          : new SignalboxError('client_closed_request', 'The caller aborted the request.'),
      );
    },
    { once: true },
  );
  return controller;
}

function chatInput(
  request: ChatCompletionRequest,
  stream: boolean,
  abort: AbortController,
  maxCostUsd?: number,
): ChatInput {
  return {
    body: { ...request, stream },
    requestId: createRequestId(),
    abort,
    receivedAt: Date.now(),
    principal: MASTER_PRINCIPAL,
    maxCostUsd: maxCostUsd ?? null,
  };
}

function notStreamed(): never {
  throw new SignalboxError('internal_error', 'Expected a JSON answer.');
}

function createClient(core: GatewayCore): Signalbox {
  const services = core.gateway;
  return {
    mode: core.mode,
    async chat(request, options = {}) {
      const input = chatInput(request, false, linkedController(options.signal), options.maxCostUsd);
      const outcome: {
        answer?: { completion: ChatCompletion; headers: Record<string, string> };
        failure?: SignalboxError;
      } = {};
      const writer: ResponseWriter = {
        json: (completion, _body, headers) => {
          outcome.answer = { completion, headers };
        },
        startStream: notStreamed,
        error: (error) => {
          outcome.failure = error;
        },
      };
      await handleChat(input, services, writer);
      if (outcome.failure !== undefined) throw outcome.failure;
      if (outcome.answer === undefined)
        throw new SignalboxError('internal_error', 'No answer was produced.');
      const { completion, headers } = outcome.answer;
      return {
        completion,
        provider: headers['x-signalbox-provider'] ?? null,
        route: headers['x-signalbox-route'] ?? null,
        requestId: input.requestId,
        fallbackReply: headers['x-signalbox-fallback-reply'] === 'true',
      };
    },
    explain(request, options = {}) {
      return explainRoute(
        chatInput(request, request.stream === true, new AbortController(), options.maxCostUsd),
        services,
      );
    },
    async *chatStream(request, options = {}) {
      const queue = createAsyncQueue<ChunkEvent>();
      const controller = linkedController(options.signal);
      const chunks: ChunkWriter = {
        // The parts need every chunk: reading it here parses an event relayed as text inside
        // the delivery loop, so an unreadable one ends the stream with an in-band error there
        // (ledger and parts agree) rather than throwing in the caller's loop.
        write: (event) =>
          queue.push({
            chunk: event.chunk,
            raw: event.raw,
            usage: event.usage,
            ...(event.error === undefined ? {} : { error: event.error }),
          }),
        drained: () => queue.drained(),
        end: () => {
          queue.end();
        },
        get open() {
          return !queue.ended && !controller.signal.aborted;
        },
      };
      const writer: ResponseWriter = {
        json: notStreamed,
        startStream: () => chunks,
        error: (error) => {
          queue.fail(error);
        },
      };
      const running = handleChat(chatInput(request, true, controller), services, writer).catch(
        (error: unknown) => {
          queue.fail(error);
        },
      );
      const events = queue.items();
      try {
        // A failure before the first event is thrown; after it, it ends the parts with `error`.
        const first = await events.next();
        if (first.done === true) return;
        yield* toStreamParts(prepend(first.value, events));
      } finally {
        if (!queue.ended)
          controller.abort(
            new SignalboxError('client_closed_request', 'The stream was abandoned.'),
          );
        await events.return(undefined);
        await running;
      }
    },
    async requests(options = {}) {
      if (core.ledgerRepository === null) {
        throw new SignalboxError(
          'invalid_request',
          'This Signalbox keeps no ledger (storage: "none").',
        );
      }
      await core.ledger.flush();
      return core.ledgerRepository.listRequests({
        limit: options.limit ?? 50,
        cursor: options.cursor ?? null,
      });
    },
    close: () => core.close(),
  };
}

async function* prepend<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
  yield first;
  for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
}

/**
 * Builds an in-process Signalbox.
 * @throws ConfigError for invalid options (the message names the option).
 */
export async function createSignalbox(options: SignalboxOptions = {}): Promise<Signalbox> {
  const config = configFrom(options);
  const core = await composeGateway(config, {
    logger: options.logger ?? pino({ level: 'silent' }),
    persistence: options.storage === undefined || options.storage === 'none' ? 'none' : 'database',
  });
  return createClient(core);
}
