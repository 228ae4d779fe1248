/**
 * SIGNALBOX_LEDGER_MODE=commit: every request waits for its ledger row's database commit, and
 * nothing is written to a local journal (for deployments without a persistent volume).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayLedger, startGateway, type TestGateway } from '../helpers/start-gateway.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startGateway({ SIGNALBOX_LEDGER_MODE: 'commit' });
});

afterAll(async () => {
  await gateway.close();
});

describe('the committing ledger mode', () => {
  it('records every request without a local journal', async () => {
    const ids: string[] = [];
    for (const stream of [false, true]) {
      const response = await request(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${gateway.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o',
          stream,
          messages: [{ role: 'user', content: 'hello' }],
        }),
      });
      await response.body.dump();
      ids.push(String(response.headers['x-request-id']));
    }
    const rows = await gatewayLedger(gateway);
    expect(ids.every((id) => rows.some((row) => row.id === id && row.status === 'success'))).toBe(
      true,
    );
    const journal = path.join(gateway.app.config.dataDir, 'journal');
    const segments = (await readdir(journal).catch(() => [])).filter((name) =>
      name.endsWith('.jsonl'),
    );
    expect(segments).toEqual([]);
  });
});
