// The request log in Chromium against a gateway in demo mode: its filters narrow the list to
// exactly what the API returns for them, and a request's detail explains why its model was
// chosen (candidates with scores, exclusions, estimated vs actual) next to every attempt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { addEmulatorFault } from '../helpers/start-gateway.ts';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';
import { callJson } from '../helpers/json-call.ts';

/** expect.poll with room for a loaded machine (its default gives up after 1 s). */
function eventually<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000 });
}

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

describe.skipIf(!hasChromium)('request log in Chromium', { timeout: 90_000 }, () => {
  let ui: UiHarness;
  let page: Page;
  const ids: Record<string, string> = {};

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  async function chat(model: string, extra: Record<string, unknown> = {}): Promise<string> {
    const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model,
        messages: [{ role: 'user', content: `request log: ${model}` }],
        ...extra,
      }),
    });
    await response.body.dump();
    return String(response.headers['x-request-id']);
  }

  beforeAll(async () => {
    ui = await startUiHarness();
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
    const created = await admin('POST', '/admin/routing/policies', {
      name: 'log-test',
      candidates: [{ model: 'openai/gpt-4o-mini' }, { model: 'google/gemini-2.5-flash' }],
      strategy: 'cheapest',
    });
    expect(created.status).toBe(201);
    ids.mini = await chat('openai/gpt-4o-mini');
    ids.flash = await chat('google/gemini-2.5-flash');
    // Tools on the policy: models without tool support are excluded, with their reason.
    ids.policy = await chat('signalbox/log-test', {
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
    });
    await addEmulatorFault(ui.gateway.emulatorOrigin, { status: 400, times: 1 });
    ids.failed = await chat('openai/gpt-4o');
  }, 120_000);

  afterAll(async () => {
    await ui.close();
  });

  const rows = () => page.getByRole('table', { name: 'Ledger requests' }).locator('tbody tr');
  /** The request ids the table links to, in order. */
  const linked = async () => {
    // One snapshot in the page (per-element reads would wait on rows that just went away).
    const hrefs = await rows()
      .locator('td:first-child a')
      .evaluateAll((links: { getAttribute(name: string): string | null }[]) =>
        links.map((link) => link.getAttribute('href')),
      );
    return hrefs.map((href) => decodeURIComponent(String(href).replace('/ui/requests/', '')));
  };
  async function apiIds(query: string): Promise<string[]> {
    const { body } = await admin('GET', `/admin/requests?${query}`);
    return (body as { data: { id: string }[] }).data.map((row) => row.id);
  }

  it('filters by model, policy, status and cost, matching the API', async () => {
    await page.goto('/ui/requests');
    await eventually(() => rows().count()).toBe(4);
    await page.getByText('No request matches these filters.').waitFor({ state: 'detached' });
    await page.getByRole('search', { name: 'Filter requests' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page
      .getByRole('combobox', { name: 'Model', exact: true })
      .fill('google/gemini-2.5-flash');
    await page.keyboard.press('Escape');
    await eventually(linked).toEqual([ids.flash]);
    expect(page.url()).toContain('model=google%2Fgemini-2.5-flash');
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => rows().count()).toBe(4);

    await page.getByRole('combobox', { name: 'Policy' }).click();
    await page.getByRole('option', { name: 'log-test', exact: true }).click();
    await eventually(linked).toEqual([ids.policy]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => rows().count()).toBe(4);

    await page.getByRole('combobox', { name: 'Status', exact: true }).fill('error');
    await page.keyboard.press('Escape');
    await eventually(linked).toEqual([ids.failed]);
    expect(await linked()).toEqual(await apiIds('status=error'));
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => rows().count()).toBe(4);

    // A cost floor above every request leaves nothing; the page says so.
    await page.getByLabel('Min cost ($)').fill('5');
    await page.getByText('No request matches these filters.').waitFor();
    expect(await apiIds('min_cost_usd=5')).toEqual([]);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await eventually(() => rows().count()).toBe(4);
    expect(await page.getByLabel('Min cost ($)').inputValue()).toBe('');
  });

  it('explains why a request went where it did, next to its attempts', async () => {
    await page.goto(`/ui/requests/${ids.policy}`);
    await page.getByRole('heading', { name: 'Why this model' }).waitFor();
    const candidates = page.getByRole('table', { name: 'Routing decision: candidates' });
    await candidates.waitFor();
    const ranked = await candidates.locator('tbody tr').allTextContents();
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked[0]).toContain('served');
    const { body } = await admin('GET', `/admin/requests/${ids.policy}`);
    const decision = (
      body as {
        routing_decision: {
          selected_model: string;
          strategy: string;
          candidates: { model: string }[];
          excluded: { model: string; reason_code: string }[];
        };
      }
    ).routing_decision;
    expect(decision.strategy).toBe('cheapest');
    expect(ranked.map((row) => row.includes(decision.candidates[0]?.model ?? '?'))[0]).toBe(true);
    const text = (await page.locator('main').textContent()) ?? '';
    expect(text).toContain('signalbox/log-test@1');
    expect(text).toContain('Estimated cost (expected) → actual');
    for (const excluded of decision.excluded) {
      expect(text).toContain(excluded.reason_code);
    }
    const attempts = page.getByRole('table', { name: 'Attempts' }).locator('tbody tr');
    await eventually(() => attempts.count()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    // The policy links to its page in the routing section.
    await page.getByRole('link', { name: 'signalbox/log-test@1' }).click();
    await page.getByRole('heading', { name: 'signalbox/log-test' }).waitFor();
  });

  it('stays accessible in the dark theme', async () => {
    const { page: dark } = await ui.newPage('dark');
    await ui.login(dark);
    await dark.goto('/ui/requests?range=24h');
    await dark
      .getByRole('table', { name: 'Ledger requests' })
      .locator('tbody tr')
      .first()
      .waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.goto(`/ui/requests/${ids.policy}`);
    await dark.getByRole('table', { name: 'Routing decision: candidates' }).waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
