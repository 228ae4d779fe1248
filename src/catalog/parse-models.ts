/**
 * Lenient parser for OpenRouter's `GET /api/v1/models` answer (`{"data": Model[]}`).
 * Accepts both formats seen in the wild: 2026 (zero prices left out, `canonical_slug`)
 * and mid-2025 (zero prices spelled out, sometimes no `canonical_slug`). Entries without
 * an `id` or `pricing` object are skipped, not fatal (docs/conventions.md §5).
 */
import type { ModelInfo } from '../contracts/model-info.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** @returns the models in the answer, in its order; throws TypeError if there is no `data` array. */
export function parseModelsResponse(body: unknown): ModelInfo[] {
  if (!isRecord(body) || !Array.isArray(body.data))
    throw new TypeError('A models answer needs a "data" array.');
  const models: ModelInfo[] = [];
  for (const entry of body.data) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || !isRecord(entry.pricing)) continue;
    const pricing = entry.pricing;
    if (typeof pricing.prompt !== 'string' || typeof pricing.completion !== 'string') continue;
    models.push({
      ...entry,
      id: entry.id,
      name: typeof entry.name === 'string' ? entry.name : entry.id,
      created: typeof entry.created === 'number' ? entry.created : 0,
      context_length: typeof entry.context_length === 'number' ? entry.context_length : null,
      architecture: isRecord(entry.architecture) ? entry.architecture : {},
      pricing: { ...pricing, prompt: pricing.prompt, completion: pricing.completion },
      top_provider: isRecord(entry.top_provider) ? entry.top_provider : {},
      per_request_limits: entry.per_request_limits ?? null,
      supported_parameters: Array.isArray(entry.supported_parameters)
        ? entry.supported_parameters.filter((value): value is string => typeof value === 'string')
        : [],
    });
  }
  return models;
}
