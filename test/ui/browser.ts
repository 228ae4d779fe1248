/**
 * Browser tests' harness: Debian's Chromium (`/usr/bin/chromium`, never a downloaded browser)
 * driven by playwright-core, against a real gateway in demo mode on port 0 serving the built
 * dashboard. `hasChromium` is false on a machine without it; the suites then say plainly that
 * they did not run.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultDashboardDirectory } from '../../src/http/ui/dashboard-directory.ts';
import { isDashboardBuilt } from '../../src/http/ui/serve-dashboard.ts';
import { startGateway, type TestGateway } from '../helpers/start-gateway.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

export interface UiHarness {
  gateway: TestGateway;
  browser: Browser;
  /** A fresh context (own cookies) with a page, in the given color scheme. */
  newPage(colorScheme?: 'light' | 'dark'): Promise<{ context: BrowserContext; page: Page }>;
  /** Logs `page` in with the master key through the login form. */
  login(page: Page): Promise<void>;
  close(): Promise<void>;
}

/**
 * Launches Chromium with no network chatter of its own. Playwright starts every launch on a
 * fresh temporary profile (its own `--user-data-dir`, removed on close), so none is passed.
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    close: async () => {
      await browser.close();
    },
  };
}

/** `env`: extra gateway settings (e.g. SIGNALBOX_ALLOWED_PRIVATE_HOSTS), over demo mode's. */
export async function startUiHarness(env: Record<string, string> = {}): Promise<UiHarness> {
  if (!isDashboardBuilt(defaultDashboardDirectory()))
    throw new Error('web/dist is missing: npm install builds it (npm run build:web).');
  const gateway = await startGateway(env);
  const chromiumInstance = await launchChromium();
  const contexts: BrowserContext[] = [];
  return {
    gateway,
    browser: chromiumInstance.browser,
    async newPage(colorScheme = 'light') {
      const context = await chromiumInstance.browser.newContext({
        baseURL: gateway.url,
        colorScheme,
        viewport: { width: 1440, height: 900 },
      });
      contexts.push(context);
      return { context, page: await context.newPage() };
    },
    async login(page) {
      await page.goto('/ui/login');
      await page.getByLabel('Key').fill(gateway.key);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
    },
    async close() {
      for (const context of contexts) await context.close();
      await chromiumInstance.close();
      await gateway.close();
    },
  };
}
