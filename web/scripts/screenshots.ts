/**
 * `npm run screenshots`: the dashboard's pages in light and dark, from a gateway in demo mode
 * with a little real traffic (one request retried after an upstream 503), written to
 * docs/screenshots/<page>-<scheme>.png. `-- --only=overview,keys` writes just those. Needs
 * /usr/bin/chromium and a built dashboard.
 */
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { request } from 'undici';
import { startUiHarness } from '../../test/ui/browser.ts';
import { addEmulatorFault } from '../../test/helpers/start-gateway.ts';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
// Alert rules evaluated every second; the emulator's loopback address allowed as a provider's URL.
const ui = await startUiHarness({
  SIGNALBOX_ALERTS_INTERVAL_MS: '1000',
  SIGNALBOX_ALLOWED_PRIVATE_HOSTS: '127.0.0.1',
});

async function chat(model: string, content: string, stream = false): Promise<string> {
  const response = await request(`${ui.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content }] }),
  });
  await response.body.text();
  return String(response.headers['x-request-id']);
}

await chat('openai/gpt-4o-mini', 'Summarise the plot of Hamlet in one line.');
await chat('anthropic/claude-sonnet-4.5', 'Write a haiku about gateways.', true);
await chat('google/gemini-2.5-flash', 'What is 17 * 23?');
await addEmulatorFault(ui.gateway.emulatorOrigin, { status: 503, times: 1 });
const retried = await chat('openai/gpt-4o', 'Explain retries with backoff.');
// A routing policy with two versions and traffic through it.
async function admin(method: 'POST' | 'PUT', path: string, body: unknown): Promise<void> {
  const response = await request(`${ui.gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.body.dump();
}
const support = {
  name: 'support',
  description: 'Customer support: cheap first, a strong model behind it.',
  candidates: [
    { model: 'google/gemini-2.5-flash' },
    { model: 'openai/gpt-4o-mini' },
    { model: 'anthropic/claude-sonnet-4.5' },
  ],
  strategy: 'ordered',
};
await admin('POST', '/admin/routing/policies', support);
await admin('PUT', '/admin/routing/policies/support', {
  ...support,
  strategy: 'balanced',
  cost_weight: 0.7,
  max_cost_usd: 0.05,
});
const routed = await chat('signalbox/support', 'Where is my order #1234?');
await chat('signalbox/auto', 'Translate "good morning" into French.');

// Keys & projects: a project with a budget, a client key in it that has spent a little.
async function adminPost(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await request(`${ui.gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ui.gateway.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.body.json()) as Record<string, unknown>;
}
const project = await adminPost('/admin/projects', {
  name: 'Research',
  rpm: 600,
  budget: { limit_usd: 50, period: 'month' },
});
const clientKey = await adminPost('/admin/keys', {
  name: 'research-bot',
  project_id: project.id,
  models: ['openai/*', 'anthropic/*'],
  rpm: 60,
  max_concurrency: 4,
  budget: { limit_usd: 0.01, period: 'day' },
  max_cost_per_request_usd: 0.005,
});
await adminPost('/admin/keys', { name: 'ops-dashboard', role: 'viewer' });
for (const content of ['Classify this ticket: refund request.', 'Summarise: the build is green.'])
  await request(`${ui.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${String(clientKey.key)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      max_tokens: 300,
      messages: [{ role: 'user', content }],
    }),
  }).then((response) => response.body.text());

// Recommendations: a support bot's real traffic on an expensive model.
const supportKey = await adminPost('/admin/keys', { name: 'support-bot' });
for (let index = 0; index < 24; index += 1)
  await request(`${ui.gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${String(supportKey.key)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: `Customer question ${index}: where is my parcel?` }],
    }),
  }).then((response) => response.body.text());
// Alerts: one that fires on this traffic, two quiet ones.
await adminPost('/admin/alerts/rules', {
  name: 'Traffic seen',
  metric: 'requests',
  operator: '>',
  threshold: 10,
  window_minutes: 60,
  channels: [{ type: 'log' }],
});
await adminPost('/admin/alerts/rules', {
  name: 'Error rate high',
  metric: 'error_rate',
  operator: '>',
  threshold: 0.05,
  window_minutes: 15,
  channels: [
    { type: 'webhook', url: 'https://hooks.example.com/signalbox', secret: 'whsec-0000-4c2e' },
  ],
});
await adminPost('/admin/alerts/rules', {
  name: 'Research budget 80 %',
  metric: 'budget_used_pct',
  scope: { project_id: project.id },
  operator: '>=',
  threshold: 80,
  channels: [{ type: 'log' }],
});
// Providers: two added through the API beside the built-in one (one disabled), after the
// traffic (the team key is not the emulator's: requests routed to it would cool it down).
await adminPost('/admin/providers', {
  id: 'team-openrouter',
  type: 'openrouter',
  base_url: `${ui.gateway.emulatorOrigin}/api/v1`,
  api_key: 'sk-or-team-key-0000000000007f3a',
  // Models no screenshot's request asks for (its key is not the emulator's).
  models: {
    'mistralai/mistral-small': 'mistralai/mistral-small',
    'qwen/qwen3-32b': 'qwen/qwen3-32b',
  },
});
await adminPost('/admin/providers', {
  id: 'local-vllm',
  type: 'openai-compatible',
  base_url: 'http://127.0.0.1:8000/v1',
  models: { 'meta-llama/llama-3.3-70b-instruct': 'llama-3.3-70b' },
  enabled: false,
});
await new Promise((resolve) => setTimeout(resolve, 3000));

const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');

async function shoot(page: Page, name: string, scheme: string): Promise<void> {
  if (only !== undefined && !only.includes(name)) return;
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${OUT}${name}-${scheme}.png` });
}

for (const scheme of ['light', 'dark'] as const) {
  const { page } = await ui.newPage(scheme);
  await page.goto('/ui/login');
  await page.getByLabel('Key').waitFor();
  await shoot(page, 'login', scheme);
  await ui.login(page);
  await page.getByTestId('stat-Requests').waitFor();
  await page.getByTestId('budgets').getByRole('progressbar').first().waitFor();
  await page.locator('.recharts-surface').first().waitFor();
  // Off the charts: the pointer is left where the login button was (a tooltip otherwise).
  await page.mouse.move(0, 0);
  await shoot(page, 'overview', scheme);
  await page.goto('/ui/requests');
  await page
    .getByRole('link', { name: /2\d\/|\d+:\d+/ })
    .first()
    .waitFor();
  await shoot(page, 'requests', scheme);
  await page.goto(`/ui/requests/${retried}`);
  await page.getByRole('table', { name: 'Attempts' }).waitFor();
  await shoot(page, 'request-detail', scheme);
  await page.goto(`/ui/requests/${routed}`);
  await page.getByRole('table', { name: 'Routing decision: candidates' }).waitFor();
  await page.getByRole('heading', { name: 'Why this model' }).scrollIntoViewIfNeeded();
  await page.mouse.move(700, 500);
  await page.mouse.wheel(0, 420);
  await shoot(page, 'request-why', scheme);
  await page.goto('/ui/routing');
  await page.getByRole('link', { name: 'signalbox/support' }).waitFor();
  await shoot(page, 'routing', scheme);
  await page.goto('/ui/routing/support');
  await page.getByRole('button', { name: 'Test draft' }).click();
  await page.getByTestId('test-results').waitFor();
  await shoot(page, 'routing-builder', scheme);
  await page.getByRole('tab', { name: 'Versions' }).click();
  await page.getByRole('table', { name: 'Policy versions' }).waitFor();
  await shoot(page, 'routing-versions', scheme);
  await page.goto('/ui/audit');
  await page.getByRole('table', { name: 'Audit entries' }).locator('tbody tr').first().waitFor();
  await page
    .getByRole('button', { name: /^Show change/ })
    .first()
    .click();
  await shoot(page, 'audit', scheme);
  await page.goto('/ui/models');
  await page
    .getByText(/^\d+ models/)
    .first()
    .waitFor();
  await shoot(page, 'models', scheme);
  await page.goto('/ui/models/openai/gpt-4o');
  await page.getByText('Price history').waitFor();
  await shoot(page, 'model-detail', scheme);
  await page.goto(
    '/ui/models/compare?ids=openai/gpt-4o,anthropic/claude-sonnet-4.5,google/gemini-2.5-flash',
  );
  await page.getByRole('table', { name: 'Model comparison' }).waitFor();
  await shoot(page, 'compare', scheme);
  await page.goto('/ui/models');
  await page.getByRole('tab', { name: 'Recommend' }).click();
  await page.getByRole('combobox', { name: 'Needs' }).click();
  await page.getByRole('option', { name: 'Tools' }).click();
  await page.keyboard.press('Escape');
  await page.getByLabel('Min context (tokens)').fill('100000');
  await page.getByRole('button', { name: 'Recommend' }).click();
  await page.getByRole('table', { name: 'Recommended models' }).waitFor();
  await shoot(page, 'recommend', scheme);
  await page.goto('/ui/playground');
  const picker = page.getByRole('combobox', { name: 'Model or policy' });
  await picker.fill('support');
  await page.getByRole('option', { name: 'signalbox/support', exact: true }).click();
  const message = page.getByLabel('Message');
  await message.fill('Hello! What can you do?');
  await message.press('Enter');
  await page.getByTestId('reply-meta').waitFor();
  await message.fill('Give me three short tips for writing prompts.');
  await message.press('Enter');
  await page.getByTestId('reply-meta').nth(1).waitFor();
  await shoot(page, 'playground', scheme);
  await page.goto('/ui/keys');
  await page.getByRole('link', { name: 'research-bot' }).waitFor();
  await shoot(page, 'keys', scheme);
  await page.goto(`/ui/keys/${String(clientKey.id)}`);
  await page
    .getByRole('table', { name: 'Latest requests of this key' })
    .getByRole('link')
    .first()
    .waitFor();
  await shoot(page, 'key-detail', scheme);
  await page.goto('/ui/providers');
  await page.getByRole('button', { name: 'Test openrouter' }).click();
  await page.getByTestId('provider-test-result').waitFor();
  await shoot(page, 'providers', scheme);
  await page.getByRole('button', { name: 'Edit team-openrouter' }).click();
  await page.getByRole('dialog', { name: 'Edit team-openrouter' }).waitFor();
  await shoot(page, 'provider-edit', scheme);
  await page.goto('/ui/alerts');
  await page.getByRole('table', { name: 'Alert rules' }).getByText('firing').waitFor();
  await shoot(page, 'alerts', scheme);
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.getByRole('table', { name: 'Alert events' }).locator('tbody tr').first().waitFor();
  await shoot(page, 'alert-events', scheme);
  await page.getByRole('tab', { name: 'Rules' }).click();
  await page.getByRole('button', { name: 'Edit Error rate high' }).click();
  await page.getByRole('dialog', { name: 'Edit Error rate high' }).waitFor();
  await shoot(page, 'alert-rule', scheme);
  await page.goto('/ui/recommendations');
  await page.getByRole('table', { name: 'Recommendations' }).locator('tbody tr').first().waitFor();
  await shoot(page, 'recommendations', scheme);
}
await ui.close();
process.stdout.write(`screenshots written to ${OUT}\n`);
