/**
 * Signalbox in-process: `createSignalbox(options)` runs the same pipeline as the server —
 * routing, fallback, retries, the ledger — from a configuration object instead of the
 * environment, with PGlite, PostgreSQL or no persistence. No HTTP involved.
 */
import { pino, type Logger } from 'pino';
import { loadConfig, type Config, type UpstreamTimeouts } from './config/config.ts';
import { parseConfigDocument } from './config/config-file.ts';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
} from './contracts/chat.ts';
import { SignalboxError } from './contracts/errors.ts';
import type { RequestPage } from './contracts/ledger.ts';
import type { StreamPart } from './contracts/stream-part.ts';
import { composeGateway, type GatewayCore } from './compose-gateway.ts';
import { handleChat, type StreamSink } from './gateway/index.ts';
import { createRequestId } from './lib/ids.ts';
import { toStreamParts, type ChunkEvent } from './providers/index.ts';

/** A direct provider, as in the configuration file (`apiKey` given literally or as `env:NAME`). */
export interface SignalboxProviderOptions {
  id: string;
  type?: 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
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
  /** Upstream timeouts in ms; unset fields keep the server's defaults. */
  timeouts?: Partial<UpstreamTimeouts>;
  /** Default: silent. */
  logger?: Logger;
}

export interface SignalboxChatResult {
  completion: ChatCompletion;
  /** The Signalbox provider that served it (`openrouter`, `anthropic`, …). */
  provider: string;
  /** The ledger id of the request. */
  requestId: string;
}

export interface Signalbox {
  /** `demo` when the built-in emulator stands in for OpenRouter. */
  readonly mode: 'demo' | 'live';
  /** Non-streaming chat. @throws SignalboxError (same codes as the HTTP API, docs/errors.md). */
  chat(
    request: ChatCompletionRequest,
    options?: { signal?: AbortSignal },
  ): Promise<SignalboxChatResult>;
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
    providers: document.providers,
    allowedPrivateHosts: document.allowedPrivateHosts,
  };
}

/** A single-consumer queue of SSE payloads between the pipeline's sink and the iterator. */
function createPayloadQueue() {
  const items: string[] = [];
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    wake?.();
    wake = null;
  };
  return {
    push(payload: string) {
      items.push(payload);
      notify();
    },
    end() {
      ended = true;
      notify();
    },
    fail(error: unknown) {
      failure =
        error instanceof Error
          ? error
          : new SignalboxError('internal_error', 'Internal error.', { cause: error });
      notify();
    },
    get ended() {
      return ended;
    },
    async *events(): AsyncGenerator<ChunkEvent> {
      for (;;) {
        const payload = items.shift();
        if (payload !== undefined) {
          yield { chunk: JSON.parse(payload) as ChatCompletionChunk, raw: payload };
          continue;
        }
        if (failure !== null) throw failure;
        if (ended) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      }
    },
  };
}

function linkedController(signal: AbortSignal | undefined): AbortController {
  const controller = new AbortController();
  signal?.addEventListener(
    'abort',
    () => {
      controller.abort(signal.reason);
    },
    { once: true },
  );
  return controller;
}

function createClient(core: GatewayCore): Signalbox {
  const services = core.gateway;
  return {
    mode: core.mode,
    async chat(request, options = {}) {
      const requestId = createRequestId();
      const sink: StreamSink = {
        start: () => undefined,
        write: () => undefined,
        end: () => undefined,
        open: false,
      };
      const outcome = await handleChat(
        {
          body: { ...request, stream: false },
          requestId,
          signal: options.signal ?? new AbortController().signal,
          receivedAt: Date.now(),
        },
        sink,
        services,
      );
      if (outcome.kind !== 'json')
        throw new SignalboxError('internal_error', 'Expected a JSON answer.');
      const text = typeof outcome.body === 'string' ? outcome.body : outcome.body.toString('utf8');
      return {
        completion: JSON.parse(text) as ChatCompletion,
        provider: outcome.provider,
        requestId,
      };
    },
    async *chatStream(request, options = {}) {
      const queue = createPayloadQueue();
      const controller = linkedController(options.signal);
      const sink: StreamSink = {
        start: () => undefined,
        write: (payload) => {
          queue.push(payload);
        },
        end: () => {
          queue.end();
        },
        get open() {
          return !queue.ended && !controller.signal.aborted;
        },
      };
      const running = handleChat(
        {
          body: { ...request, stream: true },
          requestId: createRequestId(),
          signal: controller.signal,
          receivedAt: Date.now(),
        },
        sink,
        services,
      ).catch((error: unknown) => {
        queue.fail(error);
      });
      try {
        yield* toStreamParts(queue.events());
      } finally {
        if (!queue.ended)
          controller.abort(
            new SignalboxError('client_closed_request', 'The stream was abandoned.'),
          );
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
      await services.ledger.flush();
      return core.ledgerRepository.listRequests({
        limit: options.limit ?? 50,
        cursor: options.cursor ?? null,
      });
    },
    close: () => core.close(),
  };
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
