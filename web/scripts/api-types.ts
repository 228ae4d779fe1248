/**
 * The dashboard's typed API client is generated from the gateway's live OpenAPI document
 * (`GET /admin/openapi.json`) with openapi-typescript, formatted with the repository's
 * Prettier settings so the committed file is byte-for-byte what generation produces.
 * `npm run generate:api --workspace web` rewrites it; test/ui/api-client-drift.test.ts
 * fails when the committed file and the server disagree.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { pino } from 'pino';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';

export const API_TYPES_FILE = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));

const HEADER =
  '// Generated from GET /admin/openapi.json by web/scripts/generate-api.ts. Do not edit.\n';

/** The admin API's OpenAPI document, read from a gateway started in demo mode on port 0. */
export async function fetchLiveOpenApi(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'signalbox-openapi-'));
  const app = await createApp(loadConfig({ PORT: '0', SIGNALBOX_DATA_DIR: dataDir }), {
    logger: pino({ level: 'silent' }),
    dashboardDirectory: null,
  });
  try {
    const url = await app.listen();
    const response = await fetch(`${url}/admin/openapi.json`);
    if (!response.ok) throw new Error(`GET /admin/openapi.json answered ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** TypeScript types of `document` (openapi-typescript), as the committed file holds them. */
export async function generateApiTypes(document: Record<string, unknown>): Promise<string> {
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  const options = (await resolveConfig(API_TYPES_FILE)) ?? {};
  return format(HEADER + astToString(ast), { ...options, filepath: API_TYPES_FILE });
}
