// The dashboard's typed client (web/src/api/schema.d.ts) is generated from the live admin API;
// this fails when a route's schema changed without regenerating it
// (`npm run generate:api --workspace web`).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, fetchLiveOpenApi, generateApiTypes } from '../../web/scripts/api-types.ts';

describe('dashboard API client', () => {
  // Starts a whole gateway and runs openapi-typescript + Prettier: slow on a loaded machine.
  it('matches the OpenAPI document the gateway serves', { timeout: 120_000 }, async () => {
    const document = await fetchLiveOpenApi();
    expect(document.openapi).toBe('3.1.0');
    const generated = await generateApiTypes(document);
    const committed = await readFile(API_TYPES_FILE, 'utf8');
    expect(committed, 'web/src/api/schema.d.ts is stale: run npm run generate:api -w web').toBe(
      generated,
    );
  });
});
