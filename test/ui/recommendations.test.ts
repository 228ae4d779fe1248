// The recommendations page in Chromium against a gateway in demo mode: real traffic (24 chats to
// openai/gpt-4o through a client key) makes cheaper alternatives appear with their saving and
// observed figures; "Start experiment" creates a routing policy with two variants, followed on the
// routing page. A viewer sees the recommendations without the button.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';
import { callJson } from '../helpers/json-call.ts';

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

interface Listed {
  recommendations: {
    id: string;
    current_model: string;
    requests: number;
    alternative: { model: string; saving_usd: number };
  }[];
}

describe.skipIf(!hasChromium)('the recommendations page in Chromium', { timeout: 150_000 }, () => {
  let ui: UiHarness;
  let page: Page;

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  beforeAll(async () => {
    ui = await startUiHarness();
    const key = (
      (await admin('POST', '/admin/keys', { name: 'support-bot' })).body as { key: string }
    ).key;
    for (let index = 0; index < 24; index += 1) {
      const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-4o',
          messages: [{ role: 'user', content: `recommendations: question ${index}` }],
        }),
      });
      await response.body.dump();
      expect(response.statusCode).toBe(200);
    }
    // The ledger writes in the background: wait for the traffic to show.
    for (let tries = 0; tries < 100; tries += 1) {
      const listed = (await admin('GET', '/admin/recommendations')).body as Listed;
      if (listed.recommendations.some((entry) => entry.requests === 24)) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
  }, 150_000);

  afterAll(async () => {
    await ui.close();
  });

  it('lists cheaper alternatives of real traffic and starts an experiment from one', async () => {
    const listed = (await admin('GET', '/admin/recommendations')).body as Listed;
    const best = listed.recommendations[0];
    expect(best).toMatchObject({ current_model: 'openai/gpt-4o', requests: 24 });
    expect(best?.alternative.saving_usd).toBeGreaterThan(0);

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Recommendations' })
      .click();
    await page.getByRole('heading', { name: 'Recommendations' }).waitFor();
    const table = page.getByRole('table', { name: 'Recommendations' });
    const first = table.locator('tbody tr').first();
    await first.getByText('openai/gpt-4o', { exact: true }).waitFor();
    await first.getByText('support-bot · 24 requests').waitFor();
    await first.getByRole('link', { name: best?.alternative.model ?? '' }).waitFor();
    expect(await page.getByTestId('recommendations-summary').textContent()).toMatch(
      new RegExp(`^${String(listed.recommendations.length)} recommendations? · up to \\$`),
    );
    expect(await table.locator('tbody tr').count()).toBe(listed.recommendations.length);
    expect(await seriousViolations(page)).toEqual([]);

    await first.getByRole('button', { name: /^Start experiment/ }).click();
    const dialog = page.getByRole('dialog', { name: 'Start an experiment' });
    await dialog.getByLabel('Traffic to the alternative (%)').fill('25');
    await dialog.getByLabel('Policy name').fill('support-trial');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Start experiment' }).click();
    await dialog.getByText('Experiment started').waitFor();
    expect(await dialog.textContent()).toContain('signalbox/support-trial');
    expect(await seriousViolations(page)).toEqual([]);

    const policy = (await admin('GET', '/admin/routing/policies/support-trial')) as {
      status: number;
      body: { experiment?: { variants: { weight: number }[] } };
    };
    expect(policy.status).toBe(200);
    expect(JSON.stringify(policy.body)).toContain(best?.alternative.model ?? '?');

    await dialog.getByRole('link', { name: 'Follow the results of support-trial' }).click();
    await page.getByRole('heading', { name: /support-trial/ }).waitFor();
    await page.getByRole('tab', { name: 'Experiment', selected: true }).waitFor();
    const audit = (await admin('GET', '/admin/audit?limit=5')).body as {
      data: { action: string }[];
    };
    expect(audit.data.map((entry) => entry.action).join(' ')).toMatch(/recommendation|routing/);
  });

  it('shows a viewer the recommendations without the button, in the dark theme', async () => {
    const created = await admin('POST', '/admin/keys', { name: 'finance', role: 'viewer' });
    const { page: dark } = await ui.newPage('dark');
    await dark.goto('/ui/login');
    await dark.getByLabel('Key').fill((created.body as { key: string }).key);
    await dark.getByRole('button', { name: 'Log in' }).click();
    await dark.getByRole('heading', { name: 'Overview' }).waitFor();
    await dark.goto('/ui/recommendations');
    await dark
      .getByRole('table', { name: 'Recommendations' })
      .locator('tbody tr')
      .first()
      .waitFor();
    expect(await dark.getByRole('button', { name: /^Start experiment/ }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
