/**
 * The emulator's catalogue routes beyond `/models` (OpenRouter spec, docs/upstream-api-notes.md §1.3):
 * `GET /api/v1/models/{author}/{slug}/endpoints` — synthesized in the spec's
 * `ListEndpointsResponse` shape, one first-party `PublicEndpoint` per model, since no real
 * recording exists — and `GET /api/v1/providers`, the shipped 2026-05 snapshot as is.
 * Both are public on OpenRouter (no key needed), as here.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import type { ModelInfo } from '../contracts/model-info.ts';
import type { EmulatorCatalogue } from './emulator-catalogue.ts';
import { sendJson } from './http-io.ts';
import { providerNameForModel } from './provider-name-for-model.ts';

const PROVIDERS_SNAPSHOT = new URL(
  '../catalog/snapshot/providers-snapshot-2026-05.json',
  import.meta.url,
);
const ENDPOINTS_PATH = /^\/api\/v1\/models\/(.+)\/endpoints$/;
/** The spec's 404 example body. */
const notFoundBody = { error: { code: 404, message: 'Resource not found' } };

interface ProviderEntry {
  name: string;
  slug: string;
}

let providersBody: string | undefined;

function providers(): string {
  providersBody ??= readFileSync(PROVIDERS_SNAPSHOT, 'utf8');
  return providersBody;
}

function providerSlug(name: string, author: string): string {
  const listed = (JSON.parse(providers()) as { data: ProviderEntry[] }).data.find(
    (provider) => provider.name === name,
  );
  return listed?.slug ?? author.toLowerCase();
}

/** The `ListEndpointsResponse` for a model: the model's own fields and one endpoint. */
export function synthesizeEndpoints(model: ModelInfo): Record<string, unknown> {
  const providerName = providerNameForModel(model.id);
  const author = model.id.split('/')[0] ?? model.id;
  return {
    id: model.id,
    name: model.name,
    created: model.created,
    description: model.description ?? '',
    architecture: {
      tokenizer: model.architecture.tokenizer ?? null,
      instruct_type: model.architecture.instruct_type ?? null,
      modality: model.architecture.modality ?? null,
      input_modalities: model.architecture.input_modalities ?? [],
      output_modalities: model.architecture.output_modalities ?? [],
    },
    endpoints: [
      {
        // Real endpoints are named "<Provider> | <permaslug>" (docs/upstream-api-notes.md §1.3).
        name: `${providerName} | ${model.canonical_slug ?? model.id}`,
        model_id: model.id,
        model_name: model.name,
        context_length: model.top_provider.context_length ?? model.context_length,
        pricing: { ...model.pricing, discount: 0 },
        provider_name: providerName,
        tag: providerSlug(providerName, author),
        quantization: 'unknown',
        max_completion_tokens: model.top_provider.max_completion_tokens ?? null,
        max_prompt_tokens: model.top_provider.context_length ?? model.context_length,
        supported_parameters: model.supported_parameters,
        status: 0,
        uptime_last_30m: 100,
        uptime_last_5m: 100,
        uptime_last_1d: 100,
        supports_implicit_caching: typeof model.pricing.input_cache_read === 'string',
        latency_last_30m: null,
        throughput_last_30m: null,
      },
    ],
  };
}

/**
 * Answers the request when `path` is one of these routes (GET only).
 * @returns false when the path is not a catalogue route, leaving it to the caller.
 */
export function handleCatalogRoute(
  catalogue: EmulatorCatalogue,
  method: string,
  path: string,
  response: ServerResponse,
): boolean {
  if (method !== 'GET') return false;
  if (path === '/api/v1/providers') {
    sendJson(response, 200, providers());
    return true;
  }
  const match = ENDPOINTS_PATH.exec(path);
  if (match === null) return false;
  const slug = decodeURIComponent(match[1] ?? '');
  const model =
    catalogue.byId.get(slug) ??
    [...catalogue.byId.values()].find((candidate) => candidate.canonical_slug === slug);
  if (model === undefined) sendJson(response, 404, notFoundBody);
  else sendJson(response, 200, { data: synthesizeEndpoints(model) });
  return true;
}
