// The overview and the audit log in Chromium against a gateway in demo mode: the overview's
// figures are the analytics API's for the same range, with top models and circuit states, and
// each budget's spend is the admin API's after real traffic; the audit log lists real admin
// changes, filtered by target and action, with before and after.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { addEmulatorFault } from '../helpers/start-gateway.ts';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';
import { callJson } from '../helpers/json-call.ts';
import { formatUsd } from '../../web/src/format.ts';

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000 });
}

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

describe.skipIf(!hasChromium)('overview and audit log in Chromium', { timeout: 90_000 }, () => {
  let ui: UiHarness;
  let page: Page;

  const admin = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  async function chat(model: string, key = ui.gateway.key): Promise<void> {
    const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: `overview ${model}` }] }),
    });
    await response.body.dump();
  }

  beforeAll(async () => {
    ui = await startUiHarness();
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
    await chat('openai/gpt-4o-mini');
    await chat('openai/gpt-4o-mini');
    await chat('google/gemini-2.5-flash');
    await addEmulatorFault(ui.gateway.emulatorOrigin, { status: 400, times: 1 });
    await chat('openai/gpt-4o');
  }, 120_000);

  afterAll(async () => {
    await ui.close();
  });

  it('overview: the analytics figures, top models and circuits, with range and auto-refresh', async () => {
    await page.goto('/ui/overview');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    const requests = page.getByTestId('stat-Requests');
    await eventually(() => requests.textContent()).toBe('4');
    expect(await page.getByTestId('stat-Error rate').textContent()).toBe('25.0%');
    const { body } = await admin(
      'GET',
      `/admin/analytics/usage?from=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`,
    );
    expect((body as { totals: { requests: number } }).totals.requests).toBe(4);
    const top = page.getByRole('table', { name: 'Top models by cost' });
    await eventually(() => top.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await top.locator('tbody tr').first().textContent()).toMatch(
      /openai\/gpt-4o-mini|gemini/,
    );
    const circuits = page.getByRole('table', { name: 'Provider circuits' });
    await eventually(() => circuits.textContent()).toContain('openrouter');
    expect(await circuits.textContent()).toContain('closed');
    await page.locator('.recharts-surface').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // The range and auto-refresh from the keyboard.
    await page.getByRole('radio', { name: '1h' }).focus();
    await page.keyboard.press('Space');
    await eventually(() => page.getByRole('radio', { name: '1h' }).isChecked()).toBe(true);
    await eventually(() => requests.textContent()).toBe('4');
    const refresh = page.getByRole('switch', { name: 'Auto-refresh (30 s)' });
    expect(await refresh.isChecked()).toBe(true);
    await refresh.focus();
    await page.keyboard.press('Space');
    expect(await refresh.isChecked()).toBe(false);
  });

  it('overview: spend against each project and key budget, after traffic with the key', async () => {
    const project = await admin('POST', '/admin/projects', {
      name: 'Search',
      budget: { limit_usd: 2, period: 'month' },
    });
    expect(project.status).toBe(201);
    const projectId = (project.body as { id: string }).id;
    const created = await admin('POST', '/admin/keys', {
      name: 'search-bot',
      project_id: projectId,
      budget: { limit_usd: 0.5, period: 'day' },
    });
    expect(created.status).toBe(201);
    const key = created.body as { id: string; key: string };
    await chat('openai/gpt-4o', key.key);
    await chat('openai/gpt-4o-mini', key.key);

    const detail = (await admin('GET', `/admin/keys/${key.id}`)).body as { spend_usd: number };
    expect(detail.spend_usd).toBeGreaterThan(0);
    await page.goto('/ui/overview');
    const card = page.getByTestId('budgets');
    const keyBudget = card.getByRole('group', { name: 'key search-bot' });
    await eventually(() => keyBudget.textContent()).toContain(
      `${formatUsd(detail.spend_usd)} spent + $0 reserved of $0.50 per day`,
    );
    const spent = keyBudget.getByRole('progressbar', {
      name: `Spent ${formatUsd(detail.spend_usd)} of $0.50`,
    });
    expect(Number(await spent.getAttribute('aria-valuenow'))).toBeCloseTo(
      (detail.spend_usd / 0.5) * 100,
      6,
    );
    // The project's budget carries the same spend (its only key), against its own limit.
    const projectBudget = card.getByRole('group', { name: 'project Search' });
    expect(await projectBudget.textContent()).toContain(
      `${formatUsd(detail.spend_usd)} spent + $0 reserved of $2.00 per month`,
    );
    // Fullest first: the key's $0.50 a day before the project's $2 a month.
    const groups = await Promise.all(
      (await card.getByRole('group').all()).map((group) => group.getAttribute('aria-label')),
    );
    expect(groups).toEqual(['key search-bot', 'project Search']);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('audit log: admin changes with before and after, filtered by target and action', async () => {
    const created = await admin('POST', '/admin/routing/policies', {
      name: 'audited',
      candidates: [{ model: 'openai/gpt-4o-mini' }],
    });
    expect(created.status).toBe(201);
    const updated = await admin('PUT', '/admin/routing/policies/audited', {
      candidates: [{ model: 'openai/gpt-4o-mini' }],
      strategy: 'cheapest',
    });
    expect(updated.status).toBe(200);
    await admin('POST', '/admin/routing/policies', {
      name: 'other',
      candidates: [{ model: 'openai/gpt-4o' }],
    });

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Audit log' })
      .click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    const rows = page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr');
    await eventually(() => rows.first().textContent()).toContain('routing.policies.create');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Target').fill('policy:audited');
    await eventually(() => rows.count()).toBe(2);
    expect(page.url()).toContain('target=policy%3Aaudited');
    await page.getByLabel('Action').fill('routing.policies.update');
    await eventually(() => rows.count()).toBe(1);
    const toggle = page.getByRole('button', { name: /^Show change/ });
    await toggle.focus();
    await page.keyboard.press('Enter');
    const text = (await page.getByRole('table', { name: 'Audit entries' }).textContent()) ?? '';
    expect(text).toContain('Before');
    expect(text).toContain('strategy');
    expect(text).toContain('cheapest');
    expect(await seriousViolations(page)).toEqual([]);
    // The page shows exactly what the API answers for these filters.
    const { body } = await admin(
      'GET',
      '/admin/audit?target=policy:audited&action=routing.policies.update',
    );
    expect((body as { data: unknown[] }).data).toHaveLength(1);
  });

  it('stays accessible in the dark theme', async () => {
    const { page: dark } = await ui.newPage('dark');
    await ui.login(dark);
    await dark.getByTestId('stat-Requests').waitFor();
    await dark.locator('.recharts-surface').first().waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.goto('/ui/audit');
    await dark.getByRole('table', { name: 'Audit entries' }).locator('tbody tr').first().waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
