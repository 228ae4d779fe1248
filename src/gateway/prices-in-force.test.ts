// Prices in force (issue 10 "Cost truth"): a computed cost uses the catalogue's price version in
// force when the attempt started — each side of a price change at its own version, an attempt
// that began before the change at the old one although the new one is loaded when it ends — and
// a journaled attempt replayed after the change keeps the bound of the old price.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPriceHistory } from '../catalog/price-history.ts';
import type { Usage } from '../contracts/chat.ts';
import type { ModelInfo, ModelPricing } from '../contracts/model-info.ts';
import { createDatabase, createLedgerRepository, type Database } from '../storage/index.ts';
import { createLedgerWriter } from '../usage/ledger-writer.ts';
import { maxAttemptCostNanoUsd } from '../usage/attempt-cost-bound.ts';
import type { GatewayServices } from './gateway-services.ts';
import { journalAttempt } from './journal-attempt.ts';
import {
  chatBody,
  createFakeAdapter,
  createTestServices,
  ROUTER_MODEL,
  runChat,
  startChat,
  testModel,
} from './testing/index.ts';

const DAY = 86_400_000;
// 1 000 nano-USD per token each way, then 2 000 per prompt and 4 000 per completion token.
const V1: ModelPricing = { prompt: '0.000001', completion: '0.000001' };
const V2: ModelPricing = { prompt: '0.000002', completion: '0.000004' };
// No `cost`: the gateway computes it from the catalogue.
const USAGE: Usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
const AT_V1 = 10n * 1_000n + 5n * 1_000n;
const AT_V2 = 10n * 2_000n + 5n * 4_000n;

/**
 * The catalogue as a gateway holds it: the loaded entry and the price history beside it. A
 * change is what a catalogue sync does: a new version effective now, then the reload.
 */
function pricedServices(services: GatewayServices) {
  const first = { modelId: ROUTER_MODEL, pricing: V1, effectiveFrom: new Date(Date.now() - DAY) };
  const state = {
    loaded: { ...testModel(ROUTER_MODEL), pricing: V1 },
    history: createPriceHistory([first]),
  };
  services.lookupModel = (id): ModelInfo | undefined =>
    id === ROUTER_MODEL ? state.loaded : undefined;
  services.priceAt = (id, at) => state.history.at(id, at);
  const change = async () => {
    // Strictly after every attempt begun so far.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = { modelId: ROUTER_MODEL, pricing: V2, effectiveFrom: new Date() };
    state.history = createPriceHistory([first, second]);
    state.loaded = { ...state.loaded, pricing: V2 };
  };
  return { state, change };
}

describe('prices in force', () => {
  it('costs each request at the version in force when its attempt started', async () => {
    const { services, ledger } = createTestServices({
      adapters: [
        createFakeAdapter('openrouter', { json: { usage: USAGE } }, { json: { usage: USAGE } }),
      ],
    });
    const { change } = pricedServices(services);
    await runChat(services, chatBody(ROUTER_MODEL));
    await change();
    await runChat(services, chatBody(ROUTER_MODEL));
    expect(ledger.settled.map((settlement) => settlement.record.costNanoUsd)).toEqual([
      AT_V1,
      AT_V2,
    ]);
    expect(ledger.settled.map((settlement) => settlement.record.costSource)).toEqual([
      'computed',
      'computed',
    ]);
  });

  it('keeps the old price for an attempt that began before the change', async () => {
    const openrouter = createFakeAdapter(
      'openrouter',
      { json: { usage: USAGE } },
      { delayMs: 400, json: { usage: USAGE } },
    );
    const { services, ledger, intents } = createTestServices({ adapters: [openrouter] });
    const { change } = pricedServices(services);
    await runChat(services, chatBody(ROUTER_MODEL));
    const slow = startChat(services, chatBody(ROUTER_MODEL));
    await vi.waitFor(
      () => {
        expect(openrouter.calls).toHaveLength(2);
      },
      { interval: 2 },
    );
    // The price changes while the upstream answers: the new version is what is loaded.
    await change();
    await slow.done;
    expect(ledger.settled[1]?.record.costNanoUsd).toBe(AT_V1);
    // Its journaled bound was taken at the old price too (the same body as the first request).
    expect(intents[1]?.maxCostNanoUsd).toBe(intents[0]?.maxCostNanoUsd);
  });

  describe('a journal replayed after the change', () => {
    let journalDir: string;
    let database: Database;

    beforeEach(async () => {
      journalDir = await mkdtemp(path.join(tmpdir(), 'signalbox-prices-'));
      database = await createDatabase({ databaseUrl: null, dataDir: null });
    });

    afterEach(async () => {
      await database.close();
      await rm(journalDir, { recursive: true, force: true });
    });

    it('records the interrupted attempt at the bound of the old price', async () => {
      const manual = { flushIntervalMs: 3_600_000, syncIntervalMs: 3_600_000 };
      const unreachable = {
        insertRequests: () => Promise.reject(new Error('the crashed process never flushed')),
      };
      const crashed = await createLedgerWriter(unreachable, { journalDir, ...manual });
      const { services } = createTestServices({ adapters: [] });
      services.journal = crashed;
      const { state, change } = pricedServices(services);
      const request = {
        model: ROUTER_MODEL,
        messages: [{ role: 'user' as const, content: 'hi' }],
        max_tokens: 100,
      };
      await journalAttempt(services, {
        requestId: 'crashed-1',
        receivedAt: Date.now(),
        request,
        bodyBytes: 120,
        attemptNumber: 0,
        candidate: {
          provider: 'openrouter',
          model: ROUTER_MODEL,
          canonicalModel: ROUTER_MODEL,
          pricingModel: ROUTER_MODEL,
          reason: 'first choice',
          estimatedCostNanoUsd: null,
        },
        startedAt: Date.now(),
      });
      // The process dies before settling; the price changes before the next start.
      await change();
      const repository = createLedgerRepository(database);
      const restarted = await createLedgerWriter(repository, { journalDir, ...manual });
      const oldBound = maxAttemptCostNanoUsd(request, 120, { ...state.loaded, pricing: V1 });
      const newBound = maxAttemptCostNanoUsd(request, 120, state.loaded);
      expect(oldBound).not.toBe(newBound);
      expect(restarted.recovered.map((record) => record.costNanoUsd)).toEqual([oldBound]);
      expect((await repository.getRequest('crashed-1'))?.costNanoUsd).toBe(oldBound);
      await restarted.close();
    });
  });
});
