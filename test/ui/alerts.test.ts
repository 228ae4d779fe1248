// The alerts page in Chromium against a gateway in demo mode evaluating its rules every second,
// a local webhook receiver allowed: create a rule (requests > 0 over 5 min, to the log and a signed
// webhook) in the dashboard, make it fire with a request, see it firing on the Overview and in the
// event history with both deliveries, raise its threshold so it resolves, delete it. A viewer sees
// the rules and events without edit controls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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

const SECRET = 'whsec-ui-test-5678';

describe.skipIf(!hasChromium)('the alerts page in Chromium', { timeout: 150_000 }, () => {
  let ui: UiHarness;
  let page: Page;
  let receiver: Server;
  let hookUrl: string;
  const received: { signature: string | undefined; body: { state?: string } }[] = [];

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  async function ruleState(): Promise<string | undefined> {
    const rules = (await admin('GET', '/admin/alerts/rules')).body as {
      data: { name: string; state: string; last_evaluated_at: string | null }[];
    };
    return rules.data.find((rule) => rule.name === 'Any traffic')?.state;
  }

  beforeAll(async () => {
    receiver = createServer((incoming, response) => {
      let text = '';
      incoming.on('data', (chunk: Buffer) => (text += chunk.toString()));
      incoming.on('end', () => {
        const signature = incoming.headers['x-signalbox-signature'];
        received.push({
          signature: Array.isArray(signature) ? signature[0] : signature,
          body: JSON.parse(text) as { state?: string },
        });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    ui = await startUiHarness({
      SIGNALBOX_ALERTS_INTERVAL_MS: '1000',
      SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
    });
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
  }, 120_000);

  afterAll(async () => {
    await ui.close();
    await new Promise((resolve) => receiver.close(resolve));
  });

  it('creates a rule that fires, shows it on the overview and in the history, resolves and deletes it', async () => {
    await page.getByTestId('alerts-firing-count').getByText('0').waitFor();
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Alerts' })
      .click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.getByText('No alert rule yet.').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'New rule' }).click();
    const dialog = page.getByRole('dialog', { name: 'New alert rule' });
    await dialog.getByLabel('Rule name').fill('Any traffic');
    await dialog.getByRole('combobox', { name: 'Metric' }).click();
    await page.getByRole('option', { name: 'Requests' }).click();
    await dialog.getByLabel('Threshold').fill('0');
    await dialog.getByLabel('Window (minutes)').fill('5');
    await dialog.getByRole('button', { name: 'Add webhook' }).click();
    await dialog.getByLabel('Webhook 2 URL').fill(hookUrl);
    await dialog.getByLabel('Webhook 2 signing secret').fill(SECRET);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Create rule' }).click();
    await dialog.waitFor({ state: 'detached' });
    const rules = page.getByRole('table', { name: 'Alert rules' });
    const row = rules.getByRole('row').filter({ hasText: 'Any traffic' });
    await row.getByText('Requests > 0 over 5 min').waitFor();
    await row.getByText('log, webhook 127.0.0.1').waitFor();
    expect(await row.textContent()).toContain('(signed …5678)');
    expect(await page.content()).not.toContain(SECRET);

    // A request makes it fire (the evaluator runs every second).
    const chat = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'alerts page: hello' }],
      }),
    });
    await chat.body.dump();
    expect(chat.statusCode).toBe(200);
    await expect.poll(ruleState, { timeout: 20_000 }).toBe('firing');
    await page.reload();
    await row.getByText('firing', { exact: true }).waitFor();
    await page.getByRole('status').filter({ hasText: '1 firing' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The overview shows it.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Overview' })
      .click();
    await page.getByTestId('alerts-firing-count').getByText('1').waitFor();
    await page.getByRole('link', { name: 'Any traffic' }).waitFor();
    await page.getByRole('link', { name: 'Any traffic' }).click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();

    // The history: a firing event, delivered to the log and the webhook (signed).
    await expect.poll(() => received.length, { timeout: 20_000 }).toBeGreaterThan(0);
    expect(received[0]?.signature).toMatch(/^sha256=[0-9a-f]{64}$/);
    await page.getByRole('tab', { name: 'Events' }).click();
    const events = page.getByRole('table', { name: 'Alert events' });
    const fired = events.getByRole('row').filter({ hasText: 'firing' });
    await fired.getByText(/webhook · 1 attempt, HTTP 204$/).waitFor();
    await fired.getByText(/^delivered\s*log/).waitFor();
    expect(await fired.getByText('delivered', { exact: true }).count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);

    // Raised beyond the traffic, it resolves.
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'Edit Any traffic' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Any traffic' });
    expect(await edit.getByLabel('Webhook 2 signing secret').inputValue()).toBe('');
    expect(await edit.getByLabel('Webhook 2 signing secret').getAttribute('placeholder')).toBe(
      'Stored …5678',
    );
    await edit.getByLabel('Threshold').fill('1000');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await row.getByText('Requests > 1000 over 5 min').waitFor();
    await expect.poll(ruleState, { timeout: 20_000 }).toBe('ok');
    const stored = (await admin('GET', '/admin/alerts/rules')).body as {
      data: { channels: { type: string; secret_last4?: string | null }[] }[];
    };
    expect(stored.data[0]?.channels).toEqual([
      { type: 'log' },
      { type: 'webhook', url: hookUrl, secret_last4: expect.stringMatching(/5678$/) as string },
    ]);
    await page.getByRole('tab', { name: 'Events' }).click();
    await events.getByRole('row').filter({ hasText: 'resolved' }).first().waitFor();

    // Deleted; its events stay.
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: 'Delete Any traffic' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Any traffic?' });
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByText('No alert rule yet.').waitFor();
    const history = (await admin('GET', '/admin/alerts/events')).body as { data: unknown[] };
    expect(history.data.length).toBeGreaterThanOrEqual(2);
  });

  it('shows a viewer the rules and events read-only, in the dark theme', async () => {
    await admin('POST', '/admin/alerts/rules', {
      name: 'Slow answers',
      metric: 'latency_p95_ms',
      operator: '>',
      threshold: 5000,
      window_minutes: 15,
      channels: [{ type: 'log' }],
    });
    const created = await admin('POST', '/admin/keys', { name: 'on-call', role: 'viewer' });
    const { page: dark } = await ui.newPage('dark');
    await dark.goto('/ui/login');
    await dark.getByLabel('Key').fill((created.body as { key: string }).key);
    await dark.getByRole('button', { name: 'Log in' }).click();
    await dark.getByRole('heading', { name: 'Overview' }).waitFor();
    await dark.goto('/ui/alerts');
    await dark.getByText('Latency p95 > 5000 ms over 15 min').waitFor();
    expect(await dark.getByRole('button', { name: 'New rule' }).count()).toBe(0);
    expect(await dark.getByRole('button', { name: /^(Edit|Delete) / }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
    await dark.getByRole('tab', { name: 'Events' }).click();
    await dark
      .getByRole('table', { name: 'Alert events' })
      .getByText('Any traffic')
      .first()
      .waitFor();
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
