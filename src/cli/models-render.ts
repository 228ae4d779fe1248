/**
 * Plain-text rendering for `signalbox models …`: tables, prices and the sync progress line.
 * Reads the admin catalogue API's JSON shapes (src/http/routes/admin-catalog.ts) leniently.
 * Prices shown per 1M tokens in USD; money from the API is integer nano-USD.
 */
import { pricePerMillionUsd } from '../catalog/catalog-entry.ts';
import type { ModelPricing } from '../contracts/model-info.ts';

/** A JSON object's field, or undefined. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

export function asText(value: unknown, fallback = '—'): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : fallback;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? (value as unknown[]) : [];
}

function isPricing(value: unknown): value is ModelPricing {
  return (
    typeof field(value, 'prompt') === 'string' || typeof field(value, 'completion') === 'string'
  );
}

/** `$2.50` for USD per 1M tokens, `—` when unpriced. */
export function formatPerMillion(value: unknown): string {
  if (typeof value !== 'number') return '—';
  return `$${value < 0.01 && value > 0 ? value.toPrecision(2) : value.toFixed(2)}`;
}

/** A pricing object's prompt or completion price per 1M tokens, formatted. */
export function pricingPerMillion(pricing: unknown, key: 'prompt' | 'completion'): string {
  return isPricing(pricing) ? formatPerMillion(pricePerMillionUsd(pricing, key)) : '—';
}

/** Integer nano-USD as dollars: cents above $1, micro-dollars below. */
export function formatNanoUsd(value: unknown): string {
  if (typeof value !== 'number') return 'unpriced';
  const usd = value / 1e9;
  return `$${usd.toFixed(usd >= 1 ? 2 : 6)}`;
}

/** Thousands separators for token counts; `—` when unknown. */
export function formatTokens(value: unknown): string {
  return typeof value === 'number' ? value.toLocaleString('en-US') : '—';
}

const NUMERIC = /^[$\d.,—-]|^unpriced$/;

/** A table with a header row; columns that look numeric are right-aligned. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[], header: boolean): string =>
    cells
      .map((cell, column) => {
        const width = widths[column] ?? cell.length;
        return !header && column > 0 && NUMERIC.test(cell)
          ? cell.padStart(width)
          : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [line(headers, true), ...rows.map((row) => line(row, false))].join('\n') + '\n';
}

/** Cuts text to `width` characters with an ellipsis. */
export function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

const PHASES = ['fetching', 'writing', 'done'] as const;
const PHASE_LABELS: Record<string, string> = {
  fetching: 'fetching the model list',
  writing: 'writing changes',
  done: 'done',
};
const BAR_WIDTH = 24;

/** `[########----------------] writing changes  1.2 s` for a run's phase. */
export function progressBar(phase: string, elapsedMs: number): string {
  const step = PHASES.findIndex((candidate) => candidate === phase) + 1;
  const filled = Math.round((BAR_WIDTH * Math.max(step, 0)) / PHASES.length);
  const label = PHASE_LABELS[phase] ?? phase;
  return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${label}  ${(elapsedMs / 1000).toFixed(1)} s`;
}

/** A finished sync run's summary lines. */
export function syncSummary(run: unknown): string {
  const count = (key: string): string => asText(field(run, key), '0');
  const lines = [
    `Catalogue sync ${asText(field(run, 'status'))} (run ${asText(field(run, 'id'))})`,
    `  new ${count('new_models')}, changed ${count('changed_models')}, unchanged ${count('unchanged_models')}, retired ${count('retired_models')}`,
    `  prices changed ${count('prices_changed')}, unusable entries ${count('errors')}`,
  ];
  const error = field(run, 'error');
  if (typeof error === 'string') lines.push(`  ${error}`);
  return `${lines.join('\n')}\n`;
}
