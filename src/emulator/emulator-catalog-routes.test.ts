// GET /api/v1/models/{author}/{slug}/endpoints (synthesized in the spec's shape) and
// GET /api/v1/providers (the shipped snapshot), through the emulator's HTTP server.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmulator } from './create-emulator.ts';
import type { Emulator } from './emulator-types.ts';

const examples = JSON.parse(
  readFileSync(new URL('./__fixtures__/openapi-response-examples.json', import.meta.url), 'utf8'),
) as Record<string, Record<string, unknown>>;
const providersSnapshot = readFileSync(
  new URL('../catalog/snapshot/providers-snapshot-2026-05.json', import.meta.url),
  'utf8',
);

function keysOf(value: unknown): string[] {
  return Object.keys(value as Record<string, unknown>).sort();
}

describe('emulator catalogue routes', () => {
  let emulator: Emulator;
  let origin: string;

  beforeAll(async () => {
    emulator = createEmulator();
    origin = await emulator.listen({ host: '127.0.0.1', port: 0 });
  });

  afterAll(async () => {
    await emulator.close();
  });

  it("lists a model's endpoints in the spec example's shape", async () => {
    const response = await fetch(`${origin}/api/v1/models/openai/gpt-4o/endpoints`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: { id: string; endpoints: Record<string, unknown>[] };
    };
    const example = examples['GET /models/{author}/{slug}/endpoints']?.['200 application/json'] as {
      data: Record<string, unknown>;
    };
    expect(keysOf(body.data)).toEqual(keysOf(example.data));
    expect(body.data.id).toBe('openai/gpt-4o');
    const endpointExample = (
      examples['GET /endpoints/zdr']?.['200 application/json'] as {
        data: Record<string, unknown>[];
      }
    ).data[0];
    const endpoint = body.data.endpoints[0];
    // Every field of the spec's PublicEndpoint example is there (supports_voice_cloning aside,
    // a voice-model field).
    for (const key of keysOf(endpointExample).filter((key) => key !== 'supports_voice_cloning'))
      expect(endpoint).toHaveProperty(key);
    expect(endpoint).toMatchObject({
      model_id: 'openai/gpt-4o',
      provider_name: 'OpenAI',
      tag: 'openai',
      status: 0,
    });
  });

  it('answers 404 with the spec body for an unknown model', async () => {
    const response = await fetch(`${origin}/api/v1/models/no/such-model/endpoints`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual(
      examples['GET /models/{author}/{slug}/endpoints']?.['404 application/json'],
    );
  });

  it('serves the providers snapshot as is', async () => {
    const response = await fetch(`${origin}/api/v1/providers`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(providersSnapshot);
  });
});
