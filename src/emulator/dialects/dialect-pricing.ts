/**
 * Prices a vendor-native model name with the OpenRouter catalogue: `gpt-4o` → `openai/gpt-4o`,
 * `claude-sonnet-4-5` (or `claude-sonnet-4-5-20250929`) → `anthropic/claude-sonnet-4.5`,
 * `gemini-2.5-flash` → `google/gemini-2.5-flash` (or its `-001` release). Vendors report no cost,
 * so the cost only reaches the ledger.
 */
import type { Usage } from '../../contracts/chat.ts';
import type { ModelInfo } from '../../contracts/model-info.ts';
import { computeCostNanoUsd } from '../../pricing/cost.ts';
import { nanoToUsdNumber } from '../../pricing/decimal.ts';
import type { EmulatorCatalogue } from '../emulator-catalogue.ts';
import type { DialectName } from './dialect-types.ts';

/** Catalogue ids to try for a native model name, most specific first. */
export function canonicalModelIds(dialect: DialectName, model: string): string[] {
  if (dialect === 'openai') return [`openai/${model}`];
  if (dialect === 'gemini') return [`google/${model}`, `google/${model}-001`];
  const undated = model.replace(/-\d{8}$/, '');
  return [`anthropic/${undated.replace(/(\d)-(?=\d)/g, '$1.')}`, `anthropic/${undated}`];
}

/** The catalogue entry pricing a native model name, or null when none does. */
export function catalogueModelFor(
  catalogue: EmulatorCatalogue,
  dialect: DialectName,
  model: string,
): ModelInfo | null {
  for (const id of canonicalModelIds(dialect, model)) {
    const found = catalogue.byId.get(id);
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * `usage` with `cost` (USD, exact for the catalogue price, so the ledger's costNanoUsd is exact),
 * or `usage` unchanged when the model is unpriced (cost stays absent: unknown is never 0).
 */
export function pricedUsage(usage: Usage, model: ModelInfo | null): Usage {
  if (model === null) return usage;
  const cost = computeCostNanoUsd(usage, model.pricing);
  return cost === null || cost < 0n ? usage : { ...usage, cost: nanoToUsdNumber(cost) };
}
