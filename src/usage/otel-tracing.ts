/**
 * OpenTelemetry traces (issue 10 "Observability", docs/analytics.md "Traces"): one span per
 * request (kind SERVER) and one per upstream attempt (kind CLIENT, its child), with the GenAI
 * semantic conventions (`gen_ai.operation.name`, `gen_ai.request.model`,
 * `gen_ai.response.model`, `gen_ai.provider.name`, `gen_ai.usage.input_tokens`,
 * `gen_ai.usage.output_tokens`, `gen_ai.response.id`), exported over OTLP/HTTP (JSON) in batches.
 * Spans are built at settlement from the ledger record, with the ids the pipeline chose before
 * dispatch (gateway/request-trace.ts) — the request continues the client's `traceparent`, and
 * each attempt's span id is the one its upstream received — so the hot path pays nothing but id
 * generation. The SDK is imported only when OTEL_EXPORTER_OTLP_ENDPOINT is set (no tracing
 * cost at all otherwise: not even the modules are loaded).
 */
// Type-only: erased at run time, so nothing of OpenTelemetry loads unless createTracing runs.
import type { Context, SpanKind } from '@opentelemetry/api';
import type { AttemptRecord, RequestRecord } from '../contracts/ledger.ts';
import type { SettlementListener, SettlementTrace } from './settlement.ts';

export interface TracingOptions {
  /** Full OTLP/HTTP traces URL (`<OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces`). */
  url: string;
  /** `service.name` of the resource. */
  serviceName: string;
}

export interface Tracing {
  readonly listener: SettlementListener;
  /** Exports what is buffered and stops. */
  close(): Promise<void>;
}

type Attributes = Record<string, string | number | boolean>;

function requestAttributes(record: RequestRecord): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': record.model,
    'http.response.status_code': record.httpStatus,
    'signalbox.request_id': record.id,
    'signalbox.stream': record.stream,
  };
  if (record.provider !== null) attributes['gen_ai.provider.name'] = record.provider;
  if (record.servedModel !== null) attributes['gen_ai.response.model'] = record.servedModel;
  if (record.generationId !== null) attributes['gen_ai.response.id'] = record.generationId;
  if (record.promptTokens !== null) attributes['gen_ai.usage.input_tokens'] = record.promptTokens;
  if (record.completionTokens !== null)
    attributes['gen_ai.usage.output_tokens'] = record.completionTokens;
  if (record.costNanoUsd !== null)
    attributes['signalbox.cost_nanousd'] = record.costNanoUsd.toString();
  if (record.policy !== null) attributes['signalbox.policy'] = record.policy;
  if (record.status !== 'success') attributes['error.type'] = record.status;
  return attributes;
}

function attemptAttributes(attempt: AttemptRecord): Attributes {
  const attributes: Attributes = {
    'gen_ai.operation.name': 'chat',
    'gen_ai.request.model': attempt.model,
    'gen_ai.provider.name': attempt.provider,
    'signalbox.attempt_number': attempt.attemptNumber,
  };
  if (attempt.servedModel !== null) attributes['gen_ai.response.model'] = attempt.servedModel;
  if (attempt.generationId !== null) attributes['gen_ai.response.id'] = attempt.generationId;
  if (attempt.upstreamStatus !== null)
    attributes['http.response.status_code'] = attempt.upstreamStatus;
  if (attempt.promptTokens !== null) attributes['gen_ai.usage.input_tokens'] = attempt.promptTokens;
  if (attempt.completionTokens !== null)
    attributes['gen_ai.usage.output_tokens'] = attempt.completionTokens;
  if (attempt.status !== 'success') attributes['error.type'] = attempt.status;
  return attributes;
}

/**
 * Loads the SDK and the OTLP/HTTP exporter and returns the settlement listener that exports
 * each settled request's spans. Never throws per request (a failed export is the exporter's to
 * log and drop).
 */
export async function createTracing(options: TracingOptions): Promise<Tracing> {
  const [api, base, exporterModule, resources] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-trace'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
  ]);
  const random = new base.RandomIdGenerator();
  // The ids of the next span to start: the ones the pipeline already sent upstream.
  let nextTraceId: string | null = null;
  let nextSpanId: string | null = null;
  const provider = new base.TracerProvider({
    resource: resources.resourceFromAttributes({ 'service.name': options.serviceName }),
    idGenerator: {
      generateTraceId: () => nextTraceId ?? random.generateTraceId(),
      generateSpanId: () => nextSpanId ?? random.generateSpanId(),
    },
    spanProcessors: [
      new base.BatchSpanProcessor({
        exporter: new exporterModule.OTLPTraceExporter({ url: options.url }),
      }),
    ],
  });
  const tracer = provider.getTracer('signalbox');

  function startSpan(
    ids: { traceId: string; spanId: string },
    name: string,
    kind: SpanKind,
    startTime: Date,
    attributes: Attributes,
    parent: Context,
  ) {
    nextTraceId = ids.traceId;
    nextSpanId = ids.spanId;
    try {
      return tracer.startSpan(name, { kind, startTime, attributes }, parent);
    } finally {
      nextTraceId = null;
      nextSpanId = null;
    }
  }

  function exportSpans(record: RequestRecord, trace: SettlementTrace): void {
    const parent =
      trace.parentSpanId === null
        ? api.ROOT_CONTEXT
        : api.trace.setSpanContext(api.ROOT_CONTEXT, {
            traceId: trace.traceId,
            spanId: trace.parentSpanId,
            traceFlags: api.TraceFlags.SAMPLED,
            isRemote: true,
          });
    const span = startSpan(
      trace,
      `chat ${record.model}`,
      api.SpanKind.SERVER,
      record.createdAt,
      requestAttributes(record),
      parent,
    );
    const failed = { code: api.SpanStatusCode.ERROR };
    if (record.status !== 'success') span.setStatus({ ...failed, message: record.status });
    const inRequest = api.trace.setSpan(api.ROOT_CONTEXT, span);
    for (const attempt of record.attempts) {
      const child = startSpan(
        {
          traceId: trace.traceId,
          spanId: trace.attemptSpanIds[attempt.attemptNumber] ?? random.generateSpanId(),
        },
        `chat ${attempt.model}`,
        api.SpanKind.CLIENT,
        attempt.startedAt,
        attemptAttributes(attempt),
        inRequest,
      );
      if (attempt.status !== 'success') child.setStatus({ ...failed, message: attempt.status });
      child.end(new Date(attempt.startedAt.getTime() + attempt.latencyMs));
    }
    span.end(new Date(record.createdAt.getTime() + record.latencyMs));
  }

  return {
    listener: {
      name: 'tracing',
      onSettled({ record, trace }) {
        if (trace !== undefined && trace !== null) exportSpans(record, trace);
      },
    },
    close: () => provider.shutdown(),
  };
}
