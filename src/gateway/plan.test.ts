import { describe, expect, it } from 'vitest';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  DISABLED_MODEL,
  runChat,
} from './testing/index.ts';

describe('plan', () => {
  it('refuses a model the operator disabled with 404 model_not_found, before any attempt', async () => {
    const openrouter = createFakeAdapter('openrouter');
    const { services, ledger } = createTestServices({ adapters: [openrouter] });
    const { writer } = await runChat(services, chatBody(DISABLED_MODEL));
    expect(writer.failure?.code).toBe('model_not_found');
    expect(writer.failure?.status).toBe(404);
    expect(writer.failure?.param).toBe('model');
    expect(openrouter.calls).toHaveLength(0);
    expect(ledger.settled).toHaveLength(1);
    expect(ledger.settled[0]?.record.status).toBe('model_not_found');
    expect(ledger.settled[0]?.decision?.error?.code).toBe('model_not_found');
  });

  it('answers 503 when the provider preferences leave no candidate', async () => {
    const openrouter = createFakeAdapter('openrouter');
    const direct = createFakeAdapter('direct');
    const { services, ledger } = createTestServices({ adapters: [openrouter, direct] });
    const { writer } = await runChat(
      services,
      chatBody('acme/router-model', { provider: { only: ['direct'] } }),
    );
    expect(writer.failure?.code).toBe('upstream_unavailable');
    expect(writer.failure?.status).toBe(503);
    expect(openrouter.calls).toHaveLength(0);
    expect(direct.calls).toHaveLength(0);
    expect(ledger.settled[0]?.record).toMatchObject({
      status: 'upstream_unavailable',
      attempts: [],
    });
  });

  it('sends each candidate its native model name: the direct provider first, then OpenRouter', async () => {
    const openrouter = createFakeAdapter('openrouter');
    const direct = createFakeAdapter('direct');
    const { services, ledger } = createTestServices({ adapters: [openrouter, direct] });
    const { writer } = await runChat(services, chatBody(DIRECT_MODEL));
    expect(writer.kind).toBe('json');
    expect(writer.headers['x-signalbox-provider']).toBe('direct');
    expect(direct.calls.map((call) => call.model)).toEqual(['native-model']);
    // The model changed, so the client's bytes must not be forwarded.
    expect(direct.calls[0]?.options?.rawBody).toBeUndefined();
    const decision = ledger.settled[0]?.decision;
    expect([
      decision?.selected_provider,
      ...(decision?.fallback_models.map((target) => target.provider) ?? []),
    ]).toEqual(['direct', 'openrouter']);
  });
});
