/**
 * The emulator's model catalogue: the given models or the shipped 2026-05 `/models` snapshot
 * (src/catalog/snapshot/, raw OpenRouter output), indexed by id, with the /models body
 * serialised once.
 */
import { readFileSync } from 'node:fs';
import type { ModelInfo } from '../contracts/model-info.ts';

const SNAPSHOT = new URL('../catalog/snapshot/models-snapshot-2026-05.json', import.meta.url);

export interface EmulatorCatalogue {
  byId: ReadonlyMap<string, ModelInfo>;
  /** `{"data":[…]}`, the GET /api/v1/models body. */
  modelsBody: string;
}

/**
 * Builds the catalogue from `models`, or reads the snapshot when absent.
 * @throws Error when the snapshot cannot be read or parsed (a broken checkout).
 */
export function createEmulatorCatalogue(
  models: readonly ModelInfo[] | undefined,
): EmulatorCatalogue {
  const list = models ?? (JSON.parse(readFileSync(SNAPSHOT, 'utf8')) as { data: ModelInfo[] }).data;
  return {
    byId: new Map(list.map((model) => [model.id, model])),
    modelsBody: JSON.stringify({ data: list }),
  };
}

/** OpenRouter's shortcuts any model id may carry ("Append :nitro to any model ID", docs). */
const SORTING_SUFFIXES = [':nitro', ':floor'];

/** The model with exactly this id, else for a `:nitro` / `:floor` id its base model. */
function lookup(catalogue: EmulatorCatalogue, id: string): ModelInfo | undefined {
  const exact = catalogue.byId.get(id);
  if (exact !== undefined) return exact;
  const suffix = SORTING_SUFFIXES.find((candidate) => id.endsWith(candidate));
  return suffix === undefined ? undefined : catalogue.byId.get(id.slice(0, -suffix.length));
}

/**
 * The catalogue model serving a request: `model`, else the first `models` fallback that exists
 * (exact id match; only the `:nitro` / `:floor` sorting shortcuts are stripped, as OpenRouter
 * accepts them on every model). Returns the name to report when none exists.
 */
export function resolveRequestedModel(
  catalogue: EmulatorCatalogue,
  body: { model?: unknown; models?: unknown },
): { model: ModelInfo } | { missing: string } {
  const candidates: string[] = [];
  if (typeof body.model === 'string') candidates.push(body.model);
  if (Array.isArray(body.models))
    for (const id of body.models) if (typeof id === 'string') candidates.push(id);
  for (const id of candidates) {
    const model = lookup(catalogue, id);
    if (model !== undefined) return { model };
  }
  return { missing: candidates[0] ?? '' };
}
