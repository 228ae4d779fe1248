/**
 * The catalogue snapshot shipped with Signalbox (see snapshot/PROVENANCE.md): seeds the
 * database at first start so `/v1/models` works offline, and feeds the emulator.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelInfo } from '../contracts/model-info.ts';
import { parseModelsResponse } from './parse-models.ts';

/** Absolute path of the shipped `GET /api/v1/models` snapshot (356 models, 2026-05). */
export const modelsSnapshotPath = path.join(
  import.meta.dirname,
  'snapshot',
  'models-snapshot-2026-05.json',
);

/** When the snapshot was fetched (its newest model is from 2026-05-12). */
export const modelsSnapshotDate = new Date('2026-05-18T00:00:00Z');

/** Reads and parses the shipped snapshot (about 600 KB; call once, off the request path). */
export function loadSnapshotModels(): ModelInfo[] {
  return parseModelsResponse(JSON.parse(readFileSync(modelsSnapshotPath, 'utf8')) as unknown);
}
