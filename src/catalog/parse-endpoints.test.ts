// parseEndpointsResponse on the spec's own examples (ListEndpointsResponse, and the
// PublicEndpoint example the spec gives under GET /endpoints/zdr) and on the emulator's output
// for every model of the shipped snapshot.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { synthesizeEndpoints } from '../emulator/catalog-routes.ts';
import { parseEndpointsResponse } from './parse-endpoints.ts';
import { loadSnapshotModels } from './snapshot.ts';

const examples = JSON.parse(
  readFileSync(
    new URL('./__fixtures__/endpoints/openapi-response-examples.json', import.meta.url),
    'utf8',
  ),
) as Record<string, Record<string, unknown>>;

function example(operation: string): unknown {
  return examples[operation]?.['200 application/json'];
}

/** The spec's ListEndpointsResponse example with the spec's PublicEndpoint example inside it. */
function specAnswerWithEndpoint(): { data: Record<string, unknown> } {
  const answer = structuredClone(example('GET /models/{author}/{slug}/endpoints')) as {
    data: Record<string, unknown>;
  };
  const zdr = example('GET /endpoints/zdr') as { data: unknown[] };
  answer.data.endpoints = zdr.data;
  return answer;
}

describe('parseEndpointsResponse', () => {
  it("reads the spec's example, which lists no endpoints", () => {
    expect(parseEndpointsResponse(example('GET /models/{author}/{slug}/endpoints'))).toEqual([]);
  });

  it("reads every field of the spec's PublicEndpoint example", () => {
    const [endpoint, ...rest] = parseEndpointsResponse(specAnswerWithEndpoint());
    expect(rest).toEqual([]);
    expect(endpoint).toEqual({
      name: 'OpenAI: GPT-4',
      model_id: 'openai/gpt-4',
      model_name: 'GPT-4',
      provider_name: 'OpenAI',
      tag: 'openai',
      quantization: 'fp16',
      context_length: 8192,
      max_completion_tokens: 4096,
      max_prompt_tokens: 8192,
      pricing: { prompt: '0.00003', completion: '0.00006', image: '0', request: '0' },
      status: 0,
      uptime_last_5m: 100,
      uptime_last_30m: 99.5,
      uptime_last_1d: 99.8,
      latency_last_30m: { p50: 0.25, p75: 0.35, p90: 0.48, p99: 0.85 },
      throughput_last_30m: { p50: 45.2, p75: 38.5, p90: 28.3, p99: 15.1 },
      supported_parameters: ['temperature', 'top_p', 'max_tokens'],
      supports_implicit_caching: true,
      supports_voice_cloning: false,
    });
  });

  it('reads unusable fields as null and skips endpoints without a provider', () => {
    const answer = specAnswerWithEndpoint();
    const [spec] = answer.data.endpoints as Record<string, unknown>[];
    answer.data.endpoints = [
      { ...spec, pricing: { prompt: 0.1 }, latency_last_30m: null, uptime_last_5m: 'n/a' },
      { ...spec, provider_name: undefined },
      'not an endpoint',
    ];
    const endpoints = parseEndpointsResponse(answer);
    expect(endpoints).toHaveLength(1);
    expect(endpoints[0]).toMatchObject({
      pricing: null,
      latency_last_30m: null,
      uptime_last_5m: null,
      provider_name: 'OpenAI',
    });
  });

  it('rejects a body without data.endpoints', () => {
    expect(() => parseEndpointsResponse({ data: [] })).toThrow(TypeError);
    expect(() =>
      parseEndpointsResponse(
        examples['GET /models/{author}/{slug}/endpoints']?.['404 application/json'],
      ),
    ).toThrow(TypeError);
  });

  it("reads the emulator's answer for every snapshot model", () => {
    for (const model of loadSnapshotModels()) {
      const endpoints = parseEndpointsResponse({ data: synthesizeEndpoints(model) });
      expect(endpoints).toHaveLength(1);
      expect(endpoints[0]).toMatchObject({
        model_id: model.id,
        status: 0,
        uptime_last_30m: 100,
        latency_last_30m: null,
        pricing: { prompt: model.pricing.prompt, completion: model.pricing.completion },
      });
    }
  });
});
