/** axe-core in the page: the serious and critical accessibility violations of what it shows. */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

// Runs in the page, where axe-core was just evaluated.
const RUN_AXE = `axe.run(document).then((result) => result.violations
  .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
  .map((violation) => ({
    id: violation.id,
    impact: violation.impact,
    help: violation.help,
    targets: violation.nodes.map((node) => node.target.join(' ')),
  })))`;

// Finite animations and CSS transitions (a dialog fading in) end first: colours measured halfway
// through a fade are not the page's colours. Infinite ones (loaders) are not waited for.
const SETTLE_ANIMATIONS = `Promise.all(document.getAnimations()
  .filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
  .map((animation) => animation.finished.catch(() => undefined)))`;

export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(SETTLE_ANIMATIONS);
  await page.evaluate(axeSource);
  return page.evaluate<AxeViolation[]>(RUN_AXE);
}
