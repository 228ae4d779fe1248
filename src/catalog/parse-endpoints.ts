/**
 * Lenient parser for OpenRouter's `GET /api/v1/models/{author}/{slug}/endpoints` answer
 * (spec `ListEndpointsResponse`: `{"data": {id, name, …, endpoints: PublicEndpoint[]}}`).
 * Only the fields the admin catalogue shows are checked; every other field of an endpoint is
 * passed through as received (docs/conventions.md §5). An endpoint without a `provider_name`
 * is skipped; a field of the wrong type reads as null, never as 0 or free.
 */
import type { ModelPricing } from '../contracts/model-info.ts';

/**
 * Percentiles over the last 30 minutes (spec `PercentileStats`): latency in ms to the first
 * token, throughput in output tokens per second. OpenRouter sends null to unauthenticated callers.
 */
export interface PercentileStats {
  p50: number;
  p75: number;
  p90: number;
  p99: number;
}

/** One provider serving a model (spec `PublicEndpoint`), in OpenRouter's own field names. */
export interface ModelEndpoint {
  /** `"<Provider> | <permaslug>"` on the real API. */
  name: string;
  model_id: string | null;
  /** The provider's display name, e.g. `OpenAI`, `Nebius`. */
  provider_name: string;
  /** The provider slug, sometimes with the quantization: `openai`, `nebius/fp8`. */
  tag: string | null;
  /** `fp8`, `bf16`, `unknown`, …; null when not stated. */
  quantization: string | null;
  /** Tokens. */
  context_length: number | null;
  max_completion_tokens: number | null;
  max_prompt_tokens: number | null;
  /** USD per token decimal strings as OpenRouter sends them (plus `discount`, a fraction); null when unusable. */
  pricing: ModelPricing | null;
  /** Spec `EndpointStatus`: 0 is up; -1, -2, -3, -5, -10 are degraded or down states. */
  status: number | null;
  /** Percent of successful requests; null when OpenRouter has too little data. */
  uptime_last_5m: number | null;
  uptime_last_30m: number | null;
  uptime_last_1d: number | null;
  /** Milliseconds to the first token. */
  latency_last_30m: PercentileStats | null;
  /** Output tokens per second. */
  throughput_last_30m: PercentileStats | null;
  supported_parameters: string[];
  supports_implicit_caching: boolean | null;
  [extra: string]: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function percentiles(value: unknown): PercentileStats | null {
  if (!isRecord(value)) return null;
  const p50 = numberOrNull(value.p50);
  const p75 = numberOrNull(value.p75);
  const p90 = numberOrNull(value.p90);
  const p99 = numberOrNull(value.p99);
  if (p50 === null || p75 === null || p90 === null || p99 === null) return null;
  return { p50, p75, p90, p99 };
}

function pricing(value: unknown): ModelPricing | null {
  if (!isRecord(value) || typeof value.prompt !== 'string' || typeof value.completion !== 'string')
    return null;
  return { ...value, prompt: value.prompt, completion: value.completion };
}

function parseEndpoint(entry: Record<string, unknown>, providerName: string): ModelEndpoint {
  return {
    ...entry,
    name: typeof entry.name === 'string' ? entry.name : providerName,
    model_id: stringOrNull(entry.model_id),
    provider_name: providerName,
    tag: stringOrNull(entry.tag),
    quantization: stringOrNull(entry.quantization),
    context_length: numberOrNull(entry.context_length),
    max_completion_tokens: numberOrNull(entry.max_completion_tokens),
    max_prompt_tokens: numberOrNull(entry.max_prompt_tokens),
    pricing: pricing(entry.pricing),
    status: numberOrNull(entry.status),
    uptime_last_5m: numberOrNull(entry.uptime_last_5m),
    uptime_last_30m: numberOrNull(entry.uptime_last_30m),
    uptime_last_1d: numberOrNull(entry.uptime_last_1d),
    latency_last_30m: percentiles(entry.latency_last_30m),
    throughput_last_30m: percentiles(entry.throughput_last_30m),
    supported_parameters: Array.isArray(entry.supported_parameters)
      ? entry.supported_parameters.filter((value): value is string => typeof value === 'string')
      : [],
    supports_implicit_caching:
      typeof entry.supports_implicit_caching === 'boolean' ? entry.supports_implicit_caching : null,
  };
}

/**
 * @returns the model's endpoints in the answer's order (empty when OpenRouter lists none).
 * @throws TypeError when the body has no `data.endpoints` array.
 */
export function parseEndpointsResponse(body: unknown): ModelEndpoint[] {
  if (!isRecord(body) || !isRecord(body.data) || !Array.isArray(body.data.endpoints))
    throw new TypeError('An endpoints answer needs a "data.endpoints" array.');
  const endpoints: ModelEndpoint[] = [];
  for (const entry of body.data.endpoints) {
    if (!isRecord(entry) || typeof entry.provider_name !== 'string') continue;
    endpoints.push(parseEndpoint(entry, entry.provider_name));
  }
  return endpoints;
}
