// The dashboard in a real browser (Debian's Chromium via playwright-core) against a real
// gateway in demo mode: each page doing its main job, axe-core on every page, keyboard use of
// login and navigation. Without /usr/bin/chromium these tests do not run, and say so.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { addEmulatorFault, emulatorLedger } from '../helpers/start-gateway.ts';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

describe.skipIf(!hasChromium)('dashboard in Chromium', { timeout: 60_000 }, () => {
  let ui: UiHarness;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiHarness();
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
  }, 120_000);

  afterAll(async () => {
    await ui.close();
  });

  async function expectAccessible(): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
  }

  async function chat(body: Record<string, unknown>): Promise<string> {
    const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    await response.body.text();
    expect(response.statusCode).toBe(200);
    return String(response.headers['x-request-id']);
  }

  it('logs in with the keyboard alone, refusing a wrong key', async () => {
    const { page } = await ui.newPage('light');
    await page.goto('/ui/');
    await page.waitForURL(/\/ui\/login$/);
    expect(await seriousViolations(page)).toEqual([]);
    // The key field has focus on arrival (once the lazily loaded page has rendered); Enter
    // submits.
    const key = page.getByLabel('Key');
    await key.waitFor();
    const id = await key.getAttribute('id');
    await expect.poll(() => page.locator(':focus').getAttribute('id')).toBe(id);
    await page.keyboard.type('sb-not-the-key-000000000000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Invalid API key');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByLabel('Key').fill('');
    await page.getByLabel('Key').focus();
    await page.keyboard.type(ui.gateway.key);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const cookies = await page.context().cookies();
    expect(cookies.find((cookie) => cookie.name === 'signalbox_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
    });
  });

  it('navigates every page from the keyboard', async () => {
    const navigation = page.getByRole('navigation', { name: 'Main' });
    const links = navigation.getByRole('link');
    expect(await links.count()).toBe(10);
    await links.first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    for (const [label, heading] of [
      ['Routing', 'Routing'],
      ['Providers', 'Providers'],
      ['Keys & projects', 'Keys & projects'],
      ['Alerts', 'Alerts'],
      ['Recommendations', 'Recommendations'],
      ['Audit log', 'Audit log'],
    ] as const) {
      await navigation.getByRole('link', { name: new RegExp(`^${label}`) }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      await expectAccessible();
    }
    // Tab moves through the navigation in order.
    await navigation.getByRole('link', { name: /^Requests/ }).focus();
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Models');
  });

  it('requests: a chat sent through the API appears in the list, with its attempts', async () => {
    const id = await chat({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'ledger row for the dashboard' }],
    });
    await page.goto('/ui/requests');
    const link = page.locator(`a[href="/ui/requests/${id}"]`);
    await link.waitFor();
    await expectAccessible();
    await link.click();
    await page.getByRole('heading', { name: `Request ${id}` }).waitFor();
    const attempts = page.getByRole('table', { name: 'Attempts' }).locator('tbody tr');
    await expect.poll(() => attempts.count()).toBe(1);
    expect(await attempts.first().textContent()).toContain('openrouter');
    expect(await page.getByText('openai/gpt-4o-mini').count()).toBeGreaterThan(0);
    await expectAccessible();
  });

  it('models: search, filter, detail, compare, disable and re-enable', async () => {
    await page.goto('/ui/models');
    const table = page.getByRole('table', { name: 'Models' });
    await page.getByText('356 models').waitFor();
    await expectAccessible();
    await page.getByLabel('Search').fill('gpt-4o');
    // The table shows exactly what the API finds for that search (once the search has run).
    const found = await searchIds('q=gpt-4o&sort=name&limit=50');
    await expect
      .poll(() => table.locator('tbody tr td:nth-child(2) p').allTextContents(), {
        timeout: 15_000,
      })
      .toEqual(found);
    const ids = await table.locator('tbody tr td:nth-child(2) p').allTextContents();
    expect(ids).toContain('openai/gpt-4o');
    // Capability filter: vision.
    await page.getByRole('combobox', { name: 'Capabilities' }).click();
    await page.getByRole('option', { name: 'Vision' }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => table.locator('tbody tr').count()).toBeLessThan(ids.length + 1);
    const visionRows = await table.locator('tbody tr').allTextContents();
    for (const row of visionRows) expect(row).toContain('vision');
    // Compare two.
    await page.getByRole('checkbox', { name: 'Select openai/gpt-4o', exact: true }).check();
    await page.getByRole('checkbox', { name: 'Select openai/gpt-4o-mini', exact: true }).check();
    await page.getByRole('button', { name: 'Compare (2)' }).click();
    const comparison = page.getByRole('table', { name: 'Model comparison' });
    await comparison.waitFor();
    expect(await comparison.getByText('cheapest').count()).toBe(1);
    expect(await comparison.textContent()).toContain('Cost per day');
    await expectAccessible();
    // Detail, then disable and re-enable.
    await comparison.getByRole('link', { name: 'OpenAI: GPT-4o', exact: true }).click();
    await page.getByText('Price history').waitFor();
    await expectAccessible();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByRole('button', { name: 'Enable' }).waitFor();
    expect(await modelEnabled('openai/gpt-4o')).toBe(false);
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByRole('button', { name: 'Disable' }).waitFor();
    expect(await modelEnabled('openai/gpt-4o')).toBe(true);
  });

  it('models: recommend, and sync with live progress', async () => {
    await page.goto('/ui/models');
    await page.getByRole('tab', { name: 'Recommend' }).click();
    await page.getByRole('button', { name: 'Recommend' }).click();
    const recommended = page.getByRole('table', { name: 'Recommended models' });
    await expect.poll(() => recommended.locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible();
    await page.getByRole('button', { name: 'Sync from OpenRouter' }).click();
    await expect
      .poll(() => page.getByText(/^Synced: \d+ new/).count(), { timeout: 20_000 })
      .toBe(1);
  });

  it('playground: two turns streamed, each reply with model, provider, tokens, cost, latency', async () => {
    await page.goto('/ui/playground');
    const message = page.getByLabel('Message');
    await message.waitFor();
    await expectAccessible();
    await message.fill('Hello there, first turn.');
    await message.press('Enter');
    const metas = page.getByTestId('reply-meta');
    await expect.poll(() => metas.count()).toBe(1);
    await message.fill('And a second turn.');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => metas.count()).toBe(2);
    const replies = await page.getByTestId('assistant-text').allTextContents();
    expect(replies.every((reply) => reply.length > 0)).toBe(true);
    const meta = (await metas.nth(1).textContent()) ?? '';
    expect(meta).toMatch(/openai\/gpt-4o-mini.* via openrouter/);
    expect(meta).toMatch(/\d+ in \/ \d+ out tokens/);
    expect(meta).toMatch(/cost \$\d/);
    expect(meta).toMatch(/\d+ ms/);
    // The second request carried the whole conversation: system, user, assistant, user.
    const upstream = await emulatorLedger(ui.gateway.emulatorOrigin);
    const last = upstream.at(-1)?.requestBody as { messages: { role: string; content: string }[] };
    expect(last.messages.map((entry) => entry.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user',
    ]);
    expect(last.messages[2]?.content).toBe(replies[0]);
    await expectAccessible();
  });

  it('playground: stop ends a stream that is still running', async () => {
    await addEmulatorFault(ui.gateway.emulatorOrigin, {
      match: { stream: true },
      stallAfterChunks: 2,
    });
    const message = page.getByLabel('Message');
    await message.fill('This one will stall.');
    await message.press('Enter');
    const stop = page.getByRole('button', { name: 'Stop' });
    await stop.waitFor();
    await stop.click();
    await page.getByRole('button', { name: 'Send' }).waitFor();
    expect(await page.getByTestId('reply-meta').last().textContent()).toContain('stopped');
  });

  it('dark theme: every page stays accessible', async () => {
    const { page: dark } = await ui.newPage('dark');
    await ui.login(dark);
    for (const path of ['/ui/requests', '/ui/models', '/ui/playground', '/ui/overview']) {
      await dark.goto(path);
      await dark.getByRole('heading', { level: 2 }).first().waitFor();
      expect(await seriousViolations(dark)).toEqual([]);
    }
    expect(await dark.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
  });

  async function searchIds(query: string): Promise<string[]> {
    const response = await request(`${ui.gateway.url}/admin/catalog/models?${query}`, {
      headers: { authorization: `Bearer ${ui.gateway.key}` },
    });
    return ((await response.body.json()) as { data: { id: string }[] }).data.map(
      (model) => model.id,
    );
  }

  async function modelEnabled(id: string): Promise<boolean> {
    const response = await request(`${ui.gateway.url}/admin/catalog/models/${id}`, {
      headers: { authorization: `Bearer ${ui.gateway.key}` },
    });
    return ((await response.body.json()) as { enabled: boolean }).enabled;
  }
});
