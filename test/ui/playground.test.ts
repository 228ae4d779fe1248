// The playground in Chromium against a gateway in demo mode: a routing policy picked as the
// model (`signalbox/<name>`), system prompt, temperature and max tokens set, two turns
// streamed; each reply names its model, provider, route, tokens, cost and latency, and the
// upstream saw the whole conversation with those settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { emulatorLedger } from '../helpers/start-gateway.ts';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000 });
}

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

describe.skipIf(!hasChromium)('playground in Chromium', { timeout: 90_000 }, () => {
  let ui: UiHarness;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiHarness();
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
    const response = await request(`${ui.gateway.url}/admin/routing/policies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'chat-policy',
        candidates: [{ model: 'google/gemini-2.5-flash' }, { model: 'openai/gpt-4o-mini' }],
      }),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(201);
  }, 120_000);

  afterAll(async () => {
    await ui.close();
  });

  it('chats two turns through a routing policy, each reply with its route and figures', async () => {
    await page.goto('/ui/playground');
    const message = page.getByLabel('Message');
    await message.waitFor();
    const picker = page.getByRole('combobox', { name: 'Model or policy' });
    await picker.fill('chat-policy');
    await page.getByRole('option', { name: 'signalbox/chat-policy', exact: true }).click();
    expect(await picker.inputValue()).toBe('signalbox/chat-policy');
    await page.getByLabel('System prompt').fill('You answer in one short sentence.');
    await page.getByLabel('Max tokens').fill('64');
    // Temperature from the keyboard: 0.7 → 0.3.
    await page.getByRole('slider', { name: 'Temperature' }).focus();
    for (let step = 0; step < 4; step += 1) await page.keyboard.press('ArrowLeft');
    await page.getByText('Temperature: 0.3').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await message.fill('First turn through a policy.');
    await message.press('Enter');
    const metas = page.getByTestId('reply-meta');
    await eventually(() => metas.count()).toBe(1);
    await message.fill('Second turn.');
    await page.getByRole('button', { name: 'Send' }).click();
    await eventually(() => metas.count()).toBe(2);

    for (const index of [0, 1]) {
      const meta = (await metas.nth(index).textContent()) ?? '';
      expect(meta).toMatch(/google\/gemini-2\.5-flash.* via openrouter/);
      expect(meta).toContain('route policy=chat-policy@1');
      expect(meta).toMatch(/\d+ in \/ \d+ out tokens/);
      expect(meta).toMatch(/cost \$\d/);
      expect(meta).toMatch(/\d+ ms/);
    }
    const replies = await page.getByTestId('assistant-text').allTextContents();
    expect(replies).toHaveLength(2);
    expect(replies.every((reply) => reply.length > 0)).toBe(true);

    // The upstream got the whole conversation with the chosen settings.
    const upstream = await emulatorLedger(ui.gateway.emulatorOrigin);
    const last = upstream.at(-1)?.requestBody as {
      messages: { role: string; content: string }[];
      temperature: number;
      max_tokens?: number;
      stream: boolean;
    };
    expect(last.messages.map((entry) => entry.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ]);
    expect(last.messages[0]?.content).toBe('You answer in one short sentence.');
    expect(last.messages[2]?.content).toBe(replies[0]);
    expect(last.temperature).toBeCloseTo(0.3);
    expect(last.stream).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);

    // The ledger link of a reply opens its request, routed by the policy.
    await page.getByRole('link', { name: 'ledger entry' }).last().click();
    await page.getByRole('heading', { name: 'Why this model' }).waitFor();
    expect(await page.locator('main').textContent()).toContain('signalbox/chat-policy@1');
  });

  it('stays accessible in the dark theme, conversation kept in the tab', async () => {
    const { page: dark } = await ui.newPage('dark');
    await ui.login(dark);
    await dark.goto('/ui/playground');
    const message = dark.getByLabel('Message');
    await message.fill('Hello in the dark.');
    await message.press('Enter');
    await dark.getByTestId('reply-meta').waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.reload();
    await eventually(() => dark.getByTestId('assistant-text').count()).toBe(1);
  });
});
