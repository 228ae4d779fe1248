/** Display helpers: money in nano-USD, prices per 1M tokens, durations, counts. */

/** Nano-USD (integer) → `$0.0012`; null → `—` (unknown is never shown as 0). */
export function formatNanoUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return formatUsd(value / 1e9);
}

export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value === 0) return '$0';
  if (value >= 0.01)
    return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 4 })}`;
  // Small amounts: three significant digits (a request often costs fractions of a cent).
  return `$${value.toFixed(Math.min(12, 2 - Math.floor(Math.log10(value))))}`;
}

/** OpenRouter's per-token USD decimal string → USD per 1M tokens. */
export function perMillion(perToken: string | undefined | null): number | null {
  if (perToken === undefined || perToken === null) return null;
  const value = Number(perToken);
  if (!Number.isFinite(value) || value < 0) return null;
  return value * 1e6;
}

export function formatPerMillion(perToken: string | undefined | null): string {
  const value = perMillion(perToken);
  return value === null ? '—' : formatUsd(value);
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const short = (scaled: number, unit: string) => `${scaled.toFixed(1).replace(/\.0$/, '')}${unit}`;
  if (value >= 1_000_000) return short(value / 1_000_000, 'M');
  if (value >= 1000) return short(value / 1000, 'K');
  return String(value);
}

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, {
    dateStyle: 'short',
    timeStyle: 'medium',
  });
}

export function formatPercent(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(1)}%`;
}
