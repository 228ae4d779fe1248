/**
 * The in-memory catalogue the request path reads: model lookup by id in O(1) and the
 * `/v1/models` answers serialised once per load (docs/performance.md: keep catalogue work
 * off the request path).
 */
import type { ModelInfo } from '../contracts/model-info.ts';

export interface CatalogIndex {
  /** The model with exactly this OpenRouter id. */
  get(id: string): ModelInfo | undefined;
  readonly size: number;
  /** `GET /v1/models` body: OpenAI list shape, each entry also carrying OpenRouter's fields. */
  readonly listBody: Buffer;
  /** `GET /v1/models/{id}` body, or undefined for an unknown id. */
  modelBody(id: string): Buffer | undefined;
  readonly loadedAt: Date;
}

/**
 * A model as both OpenAI (`id, object:"model", created, owned_by`) and OpenRouter
 * (`name, pricing, context_length, architecture, supported_parameters, top_provider, …`)
 * clients expect it.
 */
export function toListedModel(model: ModelInfo): Record<string, unknown> {
  const { id, created, ...rest } = model;
  const slash = id.indexOf('/');
  return {
    id,
    object: 'model',
    created,
    owned_by: slash > 0 ? id.slice(0, slash) : 'openrouter',
    ...rest,
  };
}

export function createCatalogIndex(
  models: readonly ModelInfo[],
  loadedAt: Date = new Date(),
): CatalogIndex {
  const byId = new Map<string, ModelInfo>();
  const bodies = new Map<string, Buffer>();
  const listed: Record<string, unknown>[] = [];
  for (const model of models) {
    byId.set(model.id, model);
    const entry = toListedModel(model);
    listed.push(entry);
    bodies.set(model.id, Buffer.from(JSON.stringify(entry)));
  }
  const listBody = Buffer.from(JSON.stringify({ object: 'list', data: listed }));
  return {
    get: (id) => byId.get(id),
    size: byId.size,
    listBody,
    modelBody: (id) => bodies.get(id),
    loadedAt,
  };
}
