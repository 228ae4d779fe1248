// The routing pages in Chromium against a gateway in demo mode: build a policy, test the
// unsaved draft (explain), create it, change it, roll back to version 1 — each step checked
// against the admin API — with axe-core on every view and the builder driven by the keyboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
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

describe.skipIf(!hasChromium)('routing pages in Chromium', { timeout: 90_000 }, () => {
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

  async function expectAccessible(target: Page = page): Promise<void> {
    expect(await seriousViolations(target)).toEqual([]);
  }

  async function adminGet<T>(path: string): Promise<T> {
    const response = await request(`${ui.gateway.url}${path}`, {
      headers: { authorization: `Bearer ${ui.gateway.key}` },
    });
    return (await response.body.json()) as T;
  }

  it('creates a policy, tests the draft, saves a change and rolls back', async () => {
    await page.goto('/ui/routing');
    const list = page.getByRole('table', { name: 'Routing policies' });
    await list.getByText('signalbox/auto').waitFor();
    await expectAccessible();
    await page.getByRole('link', { name: 'New policy' }).click();
    await page.getByRole('heading', { name: 'New routing policy' }).waitFor();

    // Name, then a second candidate picked from the catalogue.
    await page.getByLabel('Name').fill('support-chat');
    await page.getByRole('button', { name: 'Add model' }).click();
    const second = page.getByRole('combobox', { name: 'Model 2', exact: true });
    await second.fill('claude-sonnet-4.5');
    await page.getByRole('option', { name: 'anthropic/claude-sonnet-4.5', exact: true }).click();
    // Move it first with the keyboard: the order is the fallback chain.
    await page.getByRole('button', { name: 'Move model 2 up' }).focus();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getByRole('combobox', { name: 'Model 1', exact: true }).inputValue())
      .toBe('anthropic/claude-sonnet-4.5');

    // Test the unsaved draft: explain picks the first listed model, the other is its fallback.
    await page.getByRole('button', { name: 'Test draft' }).click();
    const results = page.getByTestId('test-results');
    await results.waitFor();
    const candidates = page.getByRole('table', { name: 'Sample 1: candidates' });
    await eventually(() => candidates.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await candidates.locator('tbody tr').first().textContent()).toContain(
      'anthropic/claude-sonnet-4.5',
    );
    expect(await results.textContent()).toContain('anthropic/claude-sonnet-4.5');
    await expectAccessible();
    // Nothing was saved by testing.
    const before = await adminGet<{ data: { name: string }[] }>('/admin/routing/policies');
    expect(before.data.map((policy) => policy.name)).not.toContain('support-chat');

    // Create: version 1, then the policy's own page.
    await page.getByRole('button', { name: 'Create policy' }).click();
    await page.getByRole('heading', { name: 'signalbox/support-chat' }).waitFor();
    await page.getByText('version 1', { exact: true }).waitFor();
    const created = await adminGet<{ version: number; candidates: { model: string }[] }>(
      '/admin/routing/policies/support-chat',
    );
    expect(created.version).toBe(1);
    expect(created.candidates.map((candidate) => candidate.model)).toEqual([
      'anthropic/claude-sonnet-4.5',
      'openai/gpt-4o-mini',
    ]);
    await expectAccessible();

    // Change the strategy to balanced with the cost ↔ performance slider, and a cost cap.
    await page.getByRole('combobox', { name: 'Strategy', exact: true }).click();
    await page.getByRole('option', { name: /^Balanced/ }).click();
    const slider = page.getByRole('slider', { name: 'Cost weight' });
    await slider.focus();
    for (let step = 0; step < 6; step += 1) await page.keyboard.press('ArrowRight');
    await page.getByText('Cost ↔ performance: 80% cost, 20% performance').waitFor();
    await page.getByLabel('Cost cap (USD)').fill('0.5');
    await page.getByRole('button', { name: 'Save as new version' }).click();
    await page.getByText('version 2', { exact: true }).waitFor();
    const changed = await adminGet<{ strategy: string; cost_weight: number; max_cost_usd: number }>(
      '/admin/routing/policies/support-chat',
    );
    expect(changed).toMatchObject({ strategy: 'balanced', cost_weight: 0.8, max_cost_usd: 0.5 });

    // Versions: the diff of version 2, then roll back to version 1 (itself version 3).
    await page.getByRole('tab', { name: 'Versions' }).click();
    const versions = page.getByRole('table', { name: 'Policy versions' });
    await versions.waitFor();
    expect(await versions.locator('tbody tr').first().textContent()).toContain('strategy');
    await expectAccessible();
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByText('version 3', { exact: true }).waitFor();
    await eventually(() => versions.locator('tbody tr').count()).toBe(3);
    const restored = await adminGet<{ version: number; strategy?: string; max_cost_usd?: number }>(
      '/admin/routing/policies/support-chat',
    );
    expect(restored.version).toBe(3);
    expect(restored.strategy).toBe('ordered');
    expect(restored.max_cost_usd).toBeUndefined();
    expect(await versions.locator('tbody tr').first().textContent()).toContain('rollback');

    // The list shows the policy at its new version; the builder shows the restored document.
    await page.getByRole('tab', { name: 'Builder & test' }).click();
    expect(
      await page.getByRole('combobox', { name: 'Strategy', exact: true }).inputValue(),
    ).toMatch(/^Ordered/);
    await page.goto('/ui/routing');
    const row = page.getByRole('row', { name: /signalbox\/support-chat/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('3');
  });

  it('shows an experiment per variant and promotes one', async () => {
    const response = await request(`${ui.gateway.url}/admin/routing/policies`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'ab-test',
        candidates: [{ model: 'openai/gpt-4o-mini' }],
        variants: [
          { name: 'a', weight: 50 },
          { name: 'b', weight: 50, candidates: [{ model: 'google/gemini-2.5-flash' }] },
        ],
      }),
    });
    await response.body.dump();
    expect(response.statusCode).toBe(201);
    for (let index = 0; index < 6; index += 1) {
      const chat = await request(`${ui.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'signalbox/ab-test',
          user: `user-${index}`,
          messages: [{ role: 'user', content: `experiment request ${index}` }],
        }),
      });
      await chat.body.dump();
      expect(chat.statusCode).toBe(200);
    }
    await page.goto('/ui/routing/ab-test');
    await page.getByRole('tab', { name: 'Experiment' }).click();
    const table = page.getByRole('table', { name: 'Experiment results' });
    await eventually(() => table.locator('tbody tr').count()).toBeGreaterThan(0);
    const counts = await table.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(counts.reduce((sum, count) => sum + Number(count), 0)).toBe(6);
    await expectAccessible();
    const promote = page.getByRole('button', { name: /^Promote (variant )?b/ });
    await promote.first().click();
    await page.getByText('version 2', { exact: true }).waitFor();
    const promoted = await adminGet<{ variants?: unknown; candidates: { model: string }[] }>(
      '/admin/routing/policies/ab-test',
    );
    expect(promoted.variants).toBeUndefined();
    expect(promoted.candidates).toEqual([{ model: 'google/gemini-2.5-flash' }]);
  });

  it('stays accessible in the dark theme', async () => {
    const { page: dark } = await ui.newPage('dark');
    await ui.login(dark);
    await dark.goto('/ui/routing/support-chat');
    await dark.getByRole('button', { name: 'Test draft' }).click();
    await dark.getByTestId('test-results').waitFor();
    await expectAccessible(dark);
    await dark.getByRole('tab', { name: 'Versions' }).click();
    await dark.getByRole('table', { name: 'Policy versions' }).waitFor();
    await expectAccessible(dark);
  });
});
