// The authorize stage on the real pipeline (fake adapters): a key's model globs and policy list
// (403 model_not_allowed before any attempt), its default policy for a request without a model
// or with `signalbox/default`, its per-request cost cap (the smaller of it and the header), a
// policy's targets outside the key's globs dropped, and its metadata in the request's tags.
import { describe, expect, it } from 'vitest';
import type { KeyLimits, Principal } from '../contracts/principal.ts';
import { compilePolicy } from '../routing/compiled-policy.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  DIRECT_MODEL,
  ROUTER_MODEL,
  runChat,
} from './testing/index.ts';

function keyPrincipal(limits: Partial<KeyLimits>): Principal {
  return {
    keyId: 'key_a',
    role: 'client',
    projectId: null,
    name: 'ci',
    metadata: { team: 'search' },
    limits: {
      rpm: null,
      tpm: null,
      budget: null,
      maxConcurrency: null,
      maxCostPerRequestNanoUsd: null,
      models: null,
      policies: null,
      defaultPolicy: null,
      allowUnpriced: false,
      ...limits,
    },
  };
}

/** Services with one policy `both` over both test models, the router model first. */
function services() {
  const openrouter = createFakeAdapter('openrouter');
  const test = createTestServices({ adapters: [openrouter] });
  const both = compilePolicy({
    name: 'both',
    version: 1,
    policy: {
      name: 'both',
      candidates: [{ model: ROUTER_MODEL }, { model: DIRECT_MODEL }],
      fallbacks: 1,
    },
  });
  test.services.routing.policy = (name) => (name === 'both' ? both : undefined);
  return { ...test, openrouter };
}

describe('authorize', () => {
  it('refuses a model outside the key’s globs and a policy outside its list, before any attempt', async () => {
    const { services: gateway, openrouter, ledger } = services();
    const principal = keyPrincipal({ models: ['acme/direct-*'], policies: ['cheap'] });
    const model = await runChat(gateway, chatBody(ROUTER_MODEL), { principal });
    expect(model.writer.failure).toMatchObject({
      code: 'model_not_allowed',
      status: 403,
      param: 'model',
    });
    const policy = await runChat(gateway, chatBody('signalbox/both'), { principal });
    expect(policy.writer.failure?.code).toBe('model_not_allowed');
    const fallbackList = await runChat(
      gateway,
      { ...chatBody(DIRECT_MODEL), models: [DIRECT_MODEL, ROUTER_MODEL] },
      { principal },
    );
    expect(fallbackList.writer.failure?.code).toBe('model_not_allowed');
    expect(openrouter.calls).toHaveLength(0);
    expect(ledger.settled.map((entry) => entry.record.status)).toEqual([
      'model_not_allowed',
      'model_not_allowed',
      'model_not_allowed',
    ]);
    const allowed = await runChat(gateway, chatBody(DIRECT_MODEL), { principal });
    expect(allowed.writer.kind).toBe('json');
    expect(ledger.settled[3]?.tags).toEqual({ team: 'search' });
  });

  it('gives a request without a model, or signalbox/default, the key’s default policy', async () => {
    const { services: gateway, openrouter, ledger } = services();
    const principal = keyPrincipal({ defaultPolicy: 'both' });
    const { model: _model, ...noModel } = chatBody(ROUTER_MODEL) as { model: string };
    expect((await runChat(gateway, noModel, { principal })).writer.kind).toBe('json');
    expect((await runChat(gateway, chatBody('signalbox/default'), { principal })).writer.kind).toBe(
      'json',
    );
    expect(ledger.settled.map((entry) => entry.decision?.policy?.name)).toEqual(['both', 'both']);
    expect(openrouter.calls.map((call) => call.model)).toEqual([ROUTER_MODEL, ROUTER_MODEL]);
    // Without a default policy a missing model stays a validation error.
    const plain = await runChat(gateway, noModel, { principal: keyPrincipal({}) });
    expect(plain.writer.failure?.code).toBe('invalid_request');
  });

  it('drops a policy’s targets outside the key’s globs', async () => {
    const { services: gateway, openrouter } = services();
    const principal = keyPrincipal({ models: ['acme/direct-*'] });
    expect((await runChat(gateway, chatBody('signalbox/both'), { principal })).writer.kind).toBe(
      'json',
    );
    expect(openrouter.calls.map((call) => call.model)).toEqual([DIRECT_MODEL]);
  });

  it('caps the request’s worst-case cost at the smaller of the key’s cap and the header', async () => {
    const { services: gateway, ledger } = services();
    // The test models cost 1e-6 USD per token: any real request costs more than 1e-9 USD.
    const tiny = keyPrincipal({ maxCostPerRequestNanoUsd: 1n });
    const refused = await runChat(gateway, chatBody(ROUTER_MODEL, { max_tokens: 100 }), {
      principal: tiny,
      maxCostUsd: 10,
    });
    expect(refused.writer.failure?.code).toBe('cost_limit_exceeded');
    expect(ledger.settled[0]?.decision?.max_cost_usd).toBe(1e-9);
    const generous = keyPrincipal({ maxCostPerRequestNanoUsd: 10_000_000_000n });
    const header = await runChat(gateway, chatBody(ROUTER_MODEL, { max_tokens: 100 }), {
      principal: generous,
      maxCostUsd: 1e-9,
    });
    expect(header.writer.failure?.code).toBe('cost_limit_exceeded');
    expect(ledger.settled[1]?.decision?.max_cost_usd).toBe(1e-9);
    const ok = await runChat(gateway, chatBody(ROUTER_MODEL, { max_tokens: 100 }), {
      principal: generous,
    });
    expect(ok.writer.kind).toBe('json');
    expect(ledger.settled[2]?.decision?.max_cost_usd).toBe(10);
  });
});
