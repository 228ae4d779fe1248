// The providers page in Chromium against a gateway in demo mode, loopback allowed as a provider
// base URL: add a provider pointing at a second emulator (which accepts only SECOND_KEY) with the
// wrong key, see its key's last 4 only, test it (refused), edit in the right key, test it
// (passes), send traffic through it, disable and delete it. The built-in instance is read-only; a
// viewer sees the page without any edit or test control.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { createEmulator, type Emulator } from '../../src/emulator/index.ts';
import { emulatorLedger } from '../helpers/start-gateway.ts';
import { seriousViolations } from './axe.ts';
import { CHROMIUM, hasChromium, startUiHarness, type UiHarness } from './browser.ts';
import { callJson } from '../helpers/json-call.ts';

if (!hasChromium)
  console.warn(
    `\n  BROWSER TESTS NOT RUN: ${CHROMIUM} is missing (apt-get install -y chromium).\n`,
  );

const FIRST_KEY = 'sk-or-ui-test-first-wxyz';
const SECOND_KEY = 'sk-or-ui-test-second-9876';

describe.skipIf(!hasChromium)('the providers page in Chromium', { timeout: 120_000 }, () => {
  let ui: UiHarness;
  let page: Page;
  let emulator: Emulator;
  let emulatorOrigin: string;

  const admin = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    callJson(ui.gateway, method, path, body);

  /** The table row of provider `id` (by its first cell: other cells may contain the id). */
  function row(on: Page, id: string) {
    return on
      .getByRole('table', { name: 'Provider instances' })
      .getByRole('row')
      .filter({ has: on.getByRole('cell', { name: id, exact: true }) });
  }

  beforeAll(async () => {
    emulator = createEmulator({ apiKeys: [SECOND_KEY] });
    emulatorOrigin = await emulator.listen({ host: '127.0.0.1', port: 0 });
    ui = await startUiHarness({ SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1' });
    ({ page } = await ui.newPage('light'));
    await ui.login(page);
  }, 120_000);

  afterAll(async () => {
    await ui.close();
    await emulator.close();
  });

  it('adds a provider pointing at the emulator, tests it, edits its key and deletes it', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Providers' })
      .click();
    await page.getByRole('heading', { name: 'Providers' }).waitFor();
    const builtIn = row(page, 'openrouter');
    await builtIn.getByText('read-only').waitFor();
    await builtIn.getByText('closed').waitFor();
    expect(await page.getByRole('button', { name: 'Edit openrouter' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Delete openrouter' }).count()).toBe(0);
    await page.getByTestId('vault-status').getByText('0 stored secrets').waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // Add one (the dialog opened and the form sent from the keyboard; the Id field has focus).
    await page.getByRole('button', { name: 'Add provider' }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Add a provider' });
    await dialog.getByLabel('Id').waitFor();
    await expect
      .poll(() => page.locator(':focus').getAttribute('id'))
      .toBe(await dialog.getByLabel('Id').getAttribute('id'));
    await page.keyboard.type('team-or');
    await dialog.getByRole('combobox', { name: 'Type' }).click();
    await page.getByRole('option', { name: 'OpenRouter' }).click();
    await dialog.getByLabel('Base URL').fill(`${emulatorOrigin}/api/v1`);
    await dialog.getByLabel('API key').fill(FIRST_KEY);
    await dialog.getByLabel('Models').fill('openai/gpt-4o-mini');
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByLabel('Base URL').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    const added = row(page, 'team-or');
    await added.getByText('…wxyz').waitFor();
    expect(await page.content()).not.toContain(FIRST_KEY);
    const stored = await admin('GET', '/admin/providers/team-or');
    expect(stored.body).toMatchObject({
      id: 'team-or',
      type: 'openrouter',
      base_url: `${emulatorOrigin}/api/v1`,
      api_key_last4: 'wxyz',
      models: { 'openai/gpt-4o-mini': 'openai/gpt-4o-mini' },
      source: 'api',
      read_only: false,
      status: 'active',
    });
    await page.getByTestId('vault-status').getByText('1 stored secret').waitFor();

    // Test it: reachable, but the emulator refuses that key.
    await page.getByRole('button', { name: 'Test team-or' }).click();
    const outcome = page.getByTestId('provider-test-result');
    await outcome.getByText('team-or: test failed').waitFor();
    expect(await outcome.textContent()).toMatch(/reachable · key refused · \d+ models · \d+ ms/);
    expect(await seriousViolations(page)).toEqual([]);

    // Edit: the right key (the stored one is never shown, only its last 4).
    await page.getByRole('button', { name: 'Edit team-or' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit team-or' });
    await edit.getByText('Stored key ends in wxyz; leave empty to keep it').waitFor();
    expect(await edit.getByLabel('API key').inputValue()).toBe('');
    expect(await edit.getByLabel('Models').inputValue()).toBe('openai/gpt-4o-mini');
    await edit.getByLabel('API key').fill(SECOND_KEY);
    expect(await seriousViolations(page)).toEqual([]);
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await added.getByText('…9876').waitFor();
    expect(await page.content()).not.toContain(SECOND_KEY);
    await page.getByRole('button', { name: 'Test team-or' }).click();
    await outcome.getByText('team-or: test passed').waitFor();
    expect(await outcome.textContent()).toMatch(/reachable · key accepted · \d+ models · \d+ ms/);

    // Traffic goes through it; its circuit state shows.
    const chat = await request(`${ui.gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        provider: { only: ['team-or'] },
        messages: [{ role: 'user', content: 'providers page: hello' }],
      }),
    });
    await chat.body.dump();
    expect(chat.statusCode).toBe(200);
    expect(chat.headers['x-signalbox-provider']).toBe('team-or');
    expect((await emulatorLedger(emulatorOrigin)).length).toBeGreaterThan(0);
    await page.reload();
    await added.getByText('closed').waitFor();

    // Disable it.
    await page.getByRole('button', { name: 'Edit team-or' }).click();
    await edit.getByRole('switch', { name: 'Enabled' }).click({ force: true });
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await added.getByText('disabled').waitFor();
    expect((await admin('GET', '/admin/providers/team-or')).body).toMatchObject({
      api_key_last4: '9876',
      enabled: false,
      status: 'disabled',
    });

    // Delete, confirmed.
    await page.getByRole('button', { name: 'Delete team-or' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete team-or?' });
    await confirm.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await confirm.getByRole('button', { name: 'Delete provider' }).click();
    await added.waitFor({ state: 'detached' });
    expect((await admin('GET', '/admin/providers/team-or')).status).toBe(404);
    const audit = await admin('GET', '/admin/audit?target=provider:team-or');
    const actions = (audit.body as { data: { action: string }[] }).data.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['providers.create', 'providers.update', 'providers.delete']),
    );
  });

  it('shows a viewer the providers read-only, in the dark theme', async () => {
    const created = await admin('POST', '/admin/keys', { name: 'watcher', role: 'viewer' });
    expect(created.status).toBe(201);
    const { page: dark } = await ui.newPage('dark');
    await dark.goto('/ui/login');
    await dark.getByLabel('Key').fill((created.body as { key: string }).key);
    await dark.getByRole('button', { name: 'Log in' }).click();
    await dark.getByRole('heading', { name: 'Overview' }).waitFor();
    await dark.goto('/ui/providers');
    await row(dark, 'openrouter').getByText('closed').waitFor();
    expect(await dark.getByRole('button', { name: 'Add provider' }).count()).toBe(0);
    expect(await dark.getByRole('button', { name: /^(Test|Edit|Delete) / }).count()).toBe(0);
    expect(await dark.getByRole('columnheader', { name: 'Actions' }).count()).toBe(0);
    expect(await seriousViolations(dark)).toEqual([]);
  });
});
