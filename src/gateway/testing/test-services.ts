/**
 * Services for the pipeline's unit tests: fake adapters behind real routing, a fake ledger and a
 * recording logger as settlement listener and logger, the real settlement hub, and helpers that
 * run one request through handleChat. Timers are real and short. Test support only.
 */
import { createRoutingCatalog } from '../../routing/routing-catalog.ts';
import type { AttemptIntent } from '../../usage/ledger-writer.ts';
import type { AttemptRecord } from '../../contracts/ledger.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import { MASTER_PRINCIPAL } from '../../contracts/principal.ts';
import type { HealthRegistry } from '../../limits/health-registry.ts';
import {
  createSettlementHub,
  type Settlement,
  type SettlementListener,
} from '../../usage/settlement.ts';
import {
  alwaysHealthy,
  unlimitedRetries,
  type Admission,
  type GatewayLogger,
  type GatewayServices,
  type HealthGate,
  type ResiliencePolicy,
  type RetryGate,
} from '../gateway-services.ts';
import { handleChat, type ChatInput } from '../handle-chat.ts';
import type { FakeAdapter } from './fake-adapter.ts';
import { createRecordingWriter, type RecordingWriter } from './recording-writer.ts';

/** A logger that keeps every line. */
export interface RecordingLogger extends GatewayLogger {
  readonly lines: { level: 'info' | 'warn' | 'error'; object: object; message: string }[];
  /** Lines at `level` whose message contains `text`. */
  count(level: 'info' | 'warn' | 'error', text: string): number;
}

export function createRecordingLogger(): RecordingLogger {
  const lines: RecordingLogger['lines'] = [];
  return {
    lines,
    info: (object, message) => lines.push({ level: 'info', object, message }),
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
    error: (object, message) => lines.push({ level: 'error', object, message }),
    count: (level, text) =>
      lines.filter((line) => line.level === level && line.message.includes(text)).length,
  };
}

/** A ledger as a settlement listener: keeps every settlement, or fails as told. */
export interface FakeLedger extends SettlementListener {
  readonly settled: Settlement[];
  readonly attempts: { attempt: AttemptRecord; requestId: string }[];
  /** `throw`: onSettled throws; `reject`: it returns a rejected promise. */
  failure: 'none' | 'throw' | 'reject';
}

export function createFakeLedger(): FakeLedger {
  const ledger: FakeLedger = {
    name: 'fake-ledger',
    settled: [],
    attempts: [],
    failure: 'none',
    onAttempt(attempt, requestId) {
      ledger.attempts.push({ attempt, requestId });
    },
    onSettled(settlement) {
      ledger.settled.push(settlement);
      if (ledger.failure === 'throw') throw new Error('ledger: disk full');
      if (ledger.failure === 'reject') return Promise.reject(new Error('ledger: database down'));
      return undefined;
    },
  };
  return ledger;
}

/** The settlement listener that feeds a health registry (as the composition root wires it). */
export function healthListener(health: HealthRegistry): SettlementListener {
  return {
    name: 'health',
    onAttempt(attempt) {
      health.record({
        provider: attempt.provider,
        model: attempt.model,
        status: attempt.status,
        upstreamStatus: attempt.upstreamStatus,
        latencyMs: attempt.latencyMs,
        ttftMs: attempt.ttftMs,
        at: attempt.startedAt.getTime() + attempt.latencyMs,
      });
    },
  };
}

/** A priced catalogue entry (1 USD per million prompt and completion tokens). */
export function testModel(id: string): ModelInfo {
  return {
    id,
    name: id,
    created: 1_700_000_000,
    context_length: 128_000,
    architecture: {},
    pricing: { prompt: '0.000001', completion: '0.000001' },
    top_provider: { max_completion_tokens: 1000 },
    per_request_limits: null,
    supported_parameters: [],
  };
}

export const DEFAULT_PROVIDER = 'openrouter';
/** Served by the direct provider `direct` (native name `native-model`) and by OpenRouter. */
export const DIRECT_MODEL = 'acme/direct-model';
/** Served by OpenRouter only. */
export const ROUTER_MODEL = 'acme/router-model';
export const DISABLED_MODEL = 'acme/disabled-model';

export interface TestServicesOptions {
  adapters: FakeAdapter[];
  health?: HealthGate;
  retryBudget?: RetryGate;
  admission?: Admission | null;
  /** Listeners after the fake ledger. */
  listeners?: SettlementListener[];
  resilience?: Partial<ResiliencePolicy>;
}

export interface TestServices {
  services: GatewayServices;
  ledger: FakeLedger;
  logger: RecordingLogger;
  /** Every attempt intent journaled before dispatch, in order. */
  intents: AttemptIntent[];
}

/**
 * Services over the given adapters: OpenRouter (`openrouter`) serves every model, the direct
 * provider `direct` serves {@link DIRECT_MODEL} as `native-model` and is tried first;
 * {@link DISABLED_MODEL} is disabled. Defaults: no health registry, no retry budget, 2 retries,
 * 1 s max retry delay, 2 s first byte, 300 ms fallback TTFT, 5 s deadline, no graceful reply.
 */
export function createTestServices(options: TestServicesOptions): TestServices {
  const adapters = new Map(options.adapters.map((adapter) => [adapter.id, adapter]));
  const catalogue = new Map(
    [DIRECT_MODEL, ROUTER_MODEL, DISABLED_MODEL].map((id) => [id, testModel(id)]),
  );
  const routingCatalog = createRoutingCatalog([...catalogue.values()]);
  const ledger = createFakeLedger();
  const logger = createRecordingLogger();
  const intents: AttemptIntent[] = [];
  const services: GatewayServices = {
    provider: (id) => adapters.get(id),
    routing: {
      defaultProvider: DEFAULT_PROVIDER,
      directProviders: adapters.has('direct')
        ? [{ id: 'direct', nativeModel: (id) => (id === DIRECT_MODEL ? 'native-model' : null) }]
        : [],
      catalog: () => routingCatalog,
      isModelDisabled: (id) => id === DISABLED_MODEL,
    },
    lookupModel: (id) => catalogue.get(id),
    health: options.health ?? alwaysHealthy,
    retryBudget: options.retryBudget ?? unlimitedRetries,
    admission: options.admission ?? null,
    journal: {
      begin: (intent) => {
        intents.push(intent);
        return Promise.resolve();
      },
      noteGeneration: () => undefined,
    },
    settlement: createSettlementHub([ledger, ...(options.listeners ?? [])], logger),
    resilience: {
      maxRetries: 2,
      maxRetryDelayMs: 1_000,
      firstByteTimeoutMs: 2_000,
      fallbackTtftMs: 300,
      requestTimeoutMs: 5_000,
      fallbackReply: null,
      ...options.resilience,
    },
    logger,
    now: Date.now,
  };
  return { services, ledger, logger, intents };
}

export interface ChatRun {
  writer: RecordingWriter;
  abort: AbortController;
  /** Resolves when handleChat resolves; rejects if it ever rejects (it must not). */
  done: Promise<void>;
  startedAt: number;
}

/** A chat body for `model`. */
export function chatBody(model: string, extra: Record<string, unknown> = {}): object {
  return { model, messages: [{ role: 'user', content: 'Tell me about signal boxes.' }], ...extra };
}

/** Starts one request through handleChat with a recording writer. */
export function startChat(
  services: GatewayServices,
  body: unknown,
  input: Partial<Omit<ChatInput, 'body' | 'abort'>> = {},
): ChatRun {
  const abort = new AbortController();
  const writer = createRecordingWriter(abort);
  const startedAt = Date.now();
  const done = handleChat(
    {
      requestId: `req-${String(startedAt)}-${Math.random().toString(36).slice(2, 8)}`,
      receivedAt: startedAt,
      principal: MASTER_PRINCIPAL,
      ...input,
      body,
      abort,
    },
    services,
    writer,
  );
  return { writer, abort, done, startedAt };
}

/** Runs one request to its end. */
export async function runChat(
  services: GatewayServices,
  body: unknown,
  input: Partial<Omit<ChatInput, 'body' | 'abort'>> = {},
): Promise<ChatRun> {
  const run = startChat(services, body, input);
  await run.done;
  return run;
}
