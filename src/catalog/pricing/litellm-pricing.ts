/**
 * Prices for direct providers' native model names (OpenAI, Anthropic, Gemini) that OpenRouter
 * does not price, from LiteLLM's price table (`../snapshot/litellm_model_prices_and_context_window.json`,
 * see the PROVENANCE.md there). LiteLLM gives USD per token as JSON floats; they are
 * turned into OpenRouter-style decimal strings exactly: each float's shortest round-trip
 * string, read by src/pricing/decimal.ts (`2.5e-06` → `"0.0000025"`, as OpenRouter spells it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModelPricing } from '../../contracts/model-info.ts';
import { parseDecimal, type Decimal } from '../../pricing/decimal.ts';

/** Where LiteLLM keeps a native model name: its key and `litellm_provider` (from the kind's definition). */
export interface LitellmLocation {
  key: string;
  provider: string;
}

/** Absolute path of the shipped LiteLLM price table (2026-07-24, 2,984 entries). */
export const litellmPriceTablePath = path.join(
  import.meta.dirname,
  '..',
  'snapshot',
  'litellm_model_prices_and_context_window.json',
);

type PriceTable = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

let table: PriceTable | null = null;

function priceTable(): PriceTable {
  // About 1.5 MB: read once, on first use, never at import.
  table ??= JSON.parse(readFileSync(litellmPriceTablePath, 'utf8')) as PriceTable;
  return table;
}

function tableEntry(location: LitellmLocation | null): Readonly<Record<string, unknown>> | null {
  if (location === null) return null;
  const entry = priceTable()[location.key];
  return entry?.litellm_provider === location.provider ? entry : null;
}

/** Token limits of a native model in LiteLLM's table (null where it does not say). */
export function litellmLimits(location: LitellmLocation | null): {
  maxInputTokens: number | null;
  maxOutputTokens: number | null;
} {
  const entry = tableEntry(location);
  const count = (value: unknown): number | null =>
    typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
  return {
    maxInputTokens: count(entry?.max_input_tokens),
    maxOutputTokens: count(entry?.max_output_tokens),
  };
}

/** A decimal as a plain string without exponent: numerator 25, scale 7 → "0.0000025". */
function plainDecimal({ numerator, scale }: Decimal): string {
  const negative = numerator < 0n;
  const digits = (negative ? -numerator : numerator).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

function exact(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
    ? plainDecimal(parseDecimal(value))
    : null;
}

/** OpenRouter pricing key ← LiteLLM field (USD per token, per image, per request, per search). */
const optionalKeys: readonly [
  keyof ModelPricing & string,
  (entry: Record<string, unknown>) => unknown,
][] = [
  ['input_cache_read', (entry) => entry.cache_read_input_token_cost],
  ['input_cache_write', (entry) => entry.cache_creation_input_token_cost],
  ['internal_reasoning', (entry) => entry.output_cost_per_reasoning_token],
  ['audio', (entry) => entry.input_cost_per_audio_token],
  ['image', (entry) => entry.input_cost_per_image],
  ['request', (entry) => entry.input_cost_per_request],
  [
    'web_search',
    (entry) => {
      const search = entry.search_context_cost_per_query;
      return typeof search === 'object' && search !== null
        ? (search as Record<string, unknown>).search_context_size_medium
        : undefined;
    },
  ],
];

/**
 * The OpenRouter-shaped pricing (decimal USD strings: `prompt`, `completion` per token, and
 * `input_cache_read`, `input_cache_write`, `internal_reasoning`, `audio`, `image`, `request`,
 * `web_search` where LiteLLM has them) of a direct provider's native model at its location,
 * e.g. {key: `gpt-4o`, provider: `openai`}, {key: `gemini/gemini-2.5-flash`, provider: `gemini`}.
 * LiteLLM's per-prompt-size tiers (`…_above_200k_tokens`) are left out.
 * @returns null when LiteLLM does not list the name for that provider, lacks a prompt or
 * completion price, or the location is null (a kind it does not price): unpriced, never free.
 */
export function litellmPricing(location: LitellmLocation | null): ModelPricing | null {
  const entry = tableEntry(location);
  if (entry === null) return null;
  const prompt = exact(entry.input_cost_per_token);
  const completion = exact(entry.output_cost_per_token);
  if (prompt === null || completion === null) return null;
  const pricing: ModelPricing = { prompt, completion };
  for (const [key, read] of optionalKeys) {
    const value = exact(read(entry));
    if (value !== null) pricing[key] = value;
  }
  return pricing;
}
