/**
 * End to end: OpenTelemetry traces of a demo gateway exported over OTLP/HTTP (JSON) to an
 * in-process receiver. A request with a client `traceparent` gives a SERVER span continuing the
 * client's trace and a CLIENT span per upstream attempt, with the GenAI attributes; a request
 * without one starts its own trace.
 */
import { createServer, type Server } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: OtlpValue }[];
}
interface OtlpBody {
  resourceSpans: {
    resource: { attributes: { key: string; value: OtlpValue }[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
}

let receiver: Server;
let gateway: TestGateway;
const bodies: OtlpBody[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.url === '/v1/traces')
        bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  gateway = await startGateway({
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${String(port)}`,
    OTEL_SERVICE_NAME: 'signalbox-test',
  });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((resolve) => receiver.close(resolve));
});

function spans(): { span: OtlpSpan; service: string | undefined }[] {
  return bodies.flatMap((body) =>
    body.resourceSpans.flatMap((resource) =>
      resource.scopeSpans.flatMap((scope) =>
        scope.spans.map((span) => ({
          span,
          service: resource.resource.attributes.find((entry) => entry.key === 'service.name')?.value
            .stringValue,
        })),
      ),
    ),
  );
}

function attribute(span: OtlpSpan, key: string): string | number | boolean | undefined {
  const value = span.attributes.find((entry) => entry.key === key)?.value;
  return (
    value?.stringValue ??
    (value?.intValue === undefined ? value?.boolValue : Number(value.intValue))
  );
}

describe('OpenTelemetry traces', () => {
  it('exports a request span continuing the client trace and a span per attempt', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const clientSpan = '00f067aa0ba902b7';
    const client = new OpenAI({
      apiKey: gateway.key,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
      defaultHeaders: { traceparent: `00-${traceId}-${clientSpan}-01` },
    });
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Trace me.' }],
      max_completion_tokens: 20,
    });
    const untraced = new OpenAI({
      apiKey: gateway.key,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
    await untraced.chat.completions.create({
      model: 'anthropic/claude-sonnet-4.5',
      messages: [{ role: 'user', content: 'No trace header.' }],
      max_completion_tokens: 20,
    });
    // The batch processor exports within its delay (5 s by default); closing flushes it.
    await gateway.close();

    const all = spans();
    const inTrace = all.filter((entry) => entry.span.traceId === traceId);
    const request = inTrace.find((entry) => entry.span.kind === 2)?.span;
    const attempt = inTrace.find((entry) => entry.span.kind === 3)?.span;
    expect(request?.parentSpanId).toBe(clientSpan);
    expect(attempt?.parentSpanId).toBe(request?.spanId);
    expect(inTrace.every((entry) => entry.service === 'signalbox-test')).toBe(true);
    expect(
      request === undefined
        ? {}
        : {
            operation: attribute(request, 'gen_ai.operation.name'),
            model: attribute(request, 'gen_ai.request.model'),
            provider: attribute(request, 'gen_ai.provider.name'),
            input: attribute(request, 'gen_ai.usage.input_tokens'),
            output: attribute(request, 'gen_ai.usage.output_tokens'),
            id: attribute(request, 'gen_ai.response.id'),
          },
    ).toEqual({
      operation: 'chat',
      model: 'openai/gpt-4o-mini',
      provider: 'openrouter',
      input: completion.usage?.prompt_tokens,
      output: completion.usage?.completion_tokens,
      id: completion.id,
    });
    expect(attempt === undefined ? undefined : attribute(attempt, 'gen_ai.response.model')).toBe(
      completion.model,
    );
    // The request without a traceparent has a trace of its own, with no parent.
    const own = all.find(
      (entry) =>
        entry.span.kind === 2 &&
        attribute(entry.span, 'gen_ai.request.model') === 'anthropic/claude-sonnet-4.5',
    )?.span;
    expect(own?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(own?.traceId).not.toBe(traceId);
    expect(own?.parentSpanId ?? '').toBe('');
  });
});
