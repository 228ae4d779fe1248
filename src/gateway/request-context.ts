/**
 * One chat request's state as it moves through the stages (validate → plan → admit → execute →
 * deliver → settle, docs/architecture.md). Every stage reads and writes this one object; nothing
 * about a request lives anywhere else.
 */
import type { ChatCompletionRequest } from '../contracts/chat.ts';
import type { SignalboxError } from '../contracts/errors.ts';
import type { AttemptRecord } from '../contracts/ledger.ts';
import type { Principal } from '../contracts/principal.ts';
import type { RoutePlan } from '../routing/route-plan.ts';

/**
 * The request and the client's bytes as ONE value. The bytes are forwarded upstream unchanged
 * when nothing in the request changed; `with()` is the only way to change the request, and it
 * drops the bytes, so stale bytes can never be forwarded.
 */
export class RequestBody {
  readonly request: ChatCompletionRequest;
  /** The client's JSON bytes, exactly as received; null once the request was changed. */
  readonly bytes: Buffer | null;

  private constructor(request: ChatCompletionRequest, bytes: Buffer | null) {
    this.request = request;
    this.bytes = bytes;
  }

  /** The client's request with the bytes it was parsed from (null when there are none). */
  static fromClient(request: ChatCompletionRequest, bytes: Buffer | null): RequestBody {
    return new RequestBody(request, bytes);
  }

  /** A copy with `changes` applied; the bytes are dropped. Same body when nothing changes. */
  with(changes: Partial<ChatCompletionRequest>): RequestBody {
    let changed = false;
    for (const [key, value] of Object.entries(changes)) {
      if (this.request[key] !== value) changed = true;
    }
    return changed ? new RequestBody({ ...this.request, ...changes }, null) : this;
  }
}

/** A hold on budget or capacity taken by `admit` and released (or settled) by `settle`. */
export interface Reservation {
  /** Called exactly once by settle, with the request's actual cost (nano-USD, null when unknown). */
  settle(actualCostNanoUsd: bigint | null, context: RequestContext): Promise<void> | void;
}

/** How the request ended, as the client saw it. */
export interface RequestResult {
  /** `success`, `fallback_reply`, or the error code the client received. */
  status: string;
  httpStatus: number;
  /** From receipt to the first content byte sent, ms; null when none was sent. */
  ttftMs: number | null;
  /** The failure, when there was one (also for a stream that ended with an in-band error). */
  error: SignalboxError | null;
}

export interface RequestContext {
  /** The `x-request-id` of the response, also the ledger row's id. */
  readonly id: string;
  /** When the request arrived, ms since the epoch. */
  readonly receivedAt: number;
  /** The whole request must end by then, ms since the epoch (`deadline_exceeded`). */
  readonly deadlineAt: number;
  /** Aborted when the client leaves or the deadline passes; its reason is a SignalboxError. */
  readonly abort: AbortController;
  readonly principal: Principal;
  /** The parsed JSON body, before validation. */
  readonly input: unknown;
  /** Whether the client asked for a stream (read before validation, for the ledger). */
  stream: boolean;
  /** Set by validate; changed only through `RequestBody.with`. */
  body: RequestBody | null;
  /**
   * A cap on the request's worst-case cost, USD: the `x-signalbox-max-cost-usd` header, lowered
   * by authorize to the key's `max_cost_per_request_usd` when that is smaller.
   */
  maxCostUsd: number | null;
  /** Set by plan: the attempt order and the routing decision. */
  plan: RoutePlan | null;
  /** Position in `plan.candidates` of the target that served (0 = first choice); set by execute. */
  servedCandidate: number | null;
  /** One record per upstream attempt, in order. */
  readonly attempts: AttemptRecord[];
  /** Set by admit: how long the request waited in the queue, ms; null when it did not. */
  queueWaitMs: number | null;
  /** Set by admit when it holds something for the request. */
  reservation: Reservation | null;
  /** Headers every response to this request carries (route, rate limits, provider). */
  readonly responseHeaders: Record<string, string>;
  /** Free-form labels for the ledger and analytics (e.g. from governance or the client). */
  readonly tags: Record<string, string>;
  /** Client attribution headers forwarded to upstreams that use them (OpenRouter). */
  readonly attribution: { referer?: string; title?: string };
  /** Set once the request ended (deliver or a failure); settle reads it. */
  result: RequestResult | null;
  /** The request's trace ids when tracing is on (OTEL_EXPORTER_OTLP_ENDPOINT); else null. */
  readonly trace: RequestTrace | null;
}

/**
 * W3C trace context of one request (tracing on): its trace, the client's span it continues
 * (from the client's `traceparent`), the request span's id and one span id per attempt, chosen
 * before dispatch so the upstream receives them (src/usage/otel-tracing.ts exports the spans).
 */
export interface RequestTrace {
  /** 32 lowercase hex digits. */
  readonly traceId: string;
  /** The client's span (16 hex digits); null when the client sent no `traceparent`. */
  readonly parentSpanId: string | null;
  readonly spanId: string;
  /** By attempt number. */
  readonly attemptSpanIds: string[];
}
