// The governance pages in Chromium against a gateway in demo mode. Keys & projects: create a
// project and a key in the dashboard, see the secret once, use the key for a chat request, see
// its spend and the request in the key's detail, rotate (the new secret works), revoke (the key
// is refused). A viewer key sees the same pages without edit controls.
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

describe.skipIf(!hasChromium)('governance pages in Chromium', { timeout: 120_000 }, () => {
  let ui: UiHarness;
  let page: Page;

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  async function chat(key: string): Promise<{ status: number; id: string }> {
    const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'governance pages: hello' }],
      }),
    });
    await response.body.dump();
    return { status: response.statusCode, id: String(response.headers['x-request-id']) };
  }

  async function readSecret(): Promise<string> {
    const secret = page.getByTestId('new-secret');
    await secret.waitFor();
    const text = ((await secret.textContent()) ?? '').trim();
    expect(text).toMatch(/^sbk-/);
    return text;
  }

  beforeAll(async () => {
    ui = await startUiHarness();
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
  }, 120_000);

  afterAll(async () => {
    await ui.close();
  });

  it('creates a project and a key, whose use shows in its detail; rotates and revokes it', async () => {
    await page.goto('/ui/keys');
    await page.getByRole('heading', { name: 'Keys & projects' }).waitFor();
    await page.getByRole('table', { name: 'API keys' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // A project, from the projects tab, by keyboard only.
    await page.getByRole('tab', { name: 'Projects' }).click();
    await page.getByRole('button', { name: 'New project' }).click();
    await page.getByLabel('Project name').fill('Research');
    await page.keyboard.press('Tab');
    await page.keyboard.type('120');
    await page.getByLabel('Budget limit ($)').fill('25');
    await page.getByLabel('Budget limit ($)').press('Enter');
    const projects = page.getByRole('table', { name: 'Projects' });
    await projects.getByText('Research').waitFor();
    const listed = (await admin('GET', '/admin/projects')).body as {
      data: { id: string; name: string; rpm: number; budget: { limit_usd: number } }[];
    };
    expect(listed.data).toMatchObject([
      { name: 'Research', rpm: 120, budget: { limit_usd: 25, period: 'month' } },
    ]);
    expect(await seriousViolations(page)).toEqual([]);

    // A client key in that project with limits and a budget; the secret is shown once.
    await page.getByRole('tab', { name: 'Keys' }).click();
    await page.getByRole('button', { name: 'New key' }).click();
    const dialog = page.getByRole('dialog', { name: 'New API key' });
    await dialog.getByLabel('Name').fill('research-bot');
    await dialog.getByRole('combobox', { name: 'Project' }).click();
    await page.getByRole('option', { name: 'Research' }).click();
    await dialog.getByLabel('Allowed models').fill('openai/*');
    await dialog.getByLabel('Allowed models').press('Enter');
    await dialog.getByLabel('Requests / minute').fill('60');
    await dialog.getByLabel('Max concurrency').fill('4');
    await dialog.getByLabel('Budget limit ($)').fill('5');
    await dialog.getByLabel('Max cost per request ($)').fill('0.5');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create key' }).click();
    const secret = await readSecret();
    await dialog.getByRole('button', { name: 'Copy key' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'I have stored it' }).click();
    await dialog.waitFor({ state: 'detached' });
    // Gone for good: the page no longer holds it.
    expect(await page.content()).not.toContain(secret);

    const keys = (await admin('GET', '/admin/keys')).body as {
      data: {
        id: string;
        name: string;
        project_id: string;
        models: string[];
        rpm: number;
        max_concurrency: number;
        budget: { limit_usd: number; period: string };
        max_cost_per_request_usd: number;
      }[];
    };
    const created = keys.data.find((key) => key.name === 'research-bot');
    expect(created).toMatchObject({
      project_id: listed.data[0]?.id,
      models: ['openai/*'],
      rpm: 60,
      max_concurrency: 4,
      budget: { limit_usd: 5, period: 'month' },
      max_cost_per_request_usd: 0.5,
    });
    const keyId = created?.id ?? '';

    // The key works, within its allowed models; its request and spend show in its detail.
    const used = await chat(secret);
    expect(used.status).toBe(200);
    await page.getByRole('link', { name: 'research-bot' }).click();
    await page.getByRole('heading', { name: 'research-bot' }).waitFor();
    const latest = page.getByRole('table', { name: 'Latest requests of this key' });
    await latest.getByText('openai/gpt-4o-mini').waitFor();
    const detail = (await admin('GET', `/admin/keys/${keyId}`)).body as { spend_usd: number };
    expect(detail.spend_usd).toBeGreaterThan(0);
    const figures = (await page.getByTestId('budget-figures').textContent()) ?? '';
    expect(figures).toMatch(/^\$0\.\d+ spent \+ \$0 reserved of \$5\.00 per month$/);
    expect(figures).not.toMatch(/^\$0 spent/);
    const spentBar = page.getByRole('progressbar', { name: /^Spent/ });
    await spentBar.waitFor({ state: 'attached' });
    expect(Number(await spentBar.getAttribute('aria-valuenow'))).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    // The row links to the request in the log.
    await latest.getByRole('link').first().click();
    await page.waitForURL(`**/ui/requests/${used.id}`);
    await page.goBack();
    await page.getByRole('heading', { name: 'research-bot' }).waitFor();

    // Rotate with a grace period: a new secret shown once; both work during the grace.
    await page.getByRole('button', { name: 'Rotate' }).click();
    const rotateDialog = page.getByRole('dialog', { name: "Rotate the key's secret" });
    await rotateDialog.getByLabel('Grace period (seconds)').fill('600');
    await rotateDialog.getByRole('button', { name: 'Rotate' }).click();
    const rotated = await readSecret();
    expect(rotated).not.toBe(secret);
    expect(await seriousViolations(page)).toEqual([]);
    await rotateDialog.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByText('Previous secret works until').waitFor();
    expect((await chat(rotated)).status).toBe(200);
    expect((await chat(secret)).status).toBe(200);

    // Revoke, confirmed: the key is refused.
    await page.getByRole('button', { name: 'Revoke' }).click();
    const revokeDialog = page.getByRole('dialog', { name: 'Revoke research-bot?' });
    await revokeDialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await revokeDialog.getByRole('button', { name: 'Revoke key' }).click();
    await page.getByText('revoked', { exact: true }).waitFor();
    await expect.poll(async () => (await chat(rotated)).status).toBe(401);
    expect(await page.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
  });

  it('shows a viewer the keys and projects read-only, in the dark theme', async () => {
    const created = await admin('POST', '/admin/keys', { name: 'auditor', role: 'viewer' });
    expect(created.status).toBe(201);
    const viewer = (created.body as { key: string }).key;
    const { page: dark } = await ui.newPage('dark');
    await dark.goto('/ui/login');
    await dark.getByLabel('Key').fill(viewer);
    await dark.getByRole('button', { name: 'Log in' }).click();
    await dark.getByRole('heading', { name: 'Overview' }).waitFor();
    await dark.goto('/ui/keys');
    await dark.getByRole('link', { name: 'auditor' }).waitFor();
    expect(await dark.getByRole('button', { name: 'New key' }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.getByRole('tab', { name: 'Projects' }).click();
    await dark.getByRole('table', { name: 'Projects' }).getByText('Research').waitFor();
    expect(await dark.getByRole('button', { name: 'New project' }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.getByRole('tab', { name: 'Keys' }).click();
    await dark.getByRole('link', { name: 'auditor' }).click();
    await dark.getByRole('heading', { name: 'auditor' }).waitFor();
    expect(await dark.getByRole('button', { name: 'Rotate' }).count()).toBe(0);
    expect(await dark.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
