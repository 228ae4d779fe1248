/**
 * Exact decimal arithmetic for prices: a decimal string ("0.00000008333333333333334",
 * "1.825e-05") becomes a fraction `numerator / 10^scale` of bigints, so no binary
 * floating point touches money. Pure.
 */

export interface Decimal {
  numerator: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a decimal string or a finite number (through its shortest round-trip string).
 * @throws RangeError on anything that is not a finite decimal.
 */
export function parseDecimal(value: string | number): Decimal {
  const text = typeof value === 'number' ? numberToString(value) : value.trim();
  const match = DECIMAL.exec(text);
  const intPart = match?.[2] ?? '';
  const fracPart = match?.[3] ?? '';
  if (match === null || (intPart === '' && fracPart === '')) {
    throw new RangeError(`Not a decimal: "${text}"`);
  }
  const exponent = Number(match[4] ?? '0');
  const digits = BigInt(`${intPart}${fracPart}` || '0');
  let scale = fracPart.length - exponent;
  let numerator = match[1] === '-' ? -digits : digits;
  if (scale < 0) {
    numerator *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return { numerator, scale };
}

function numberToString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  return String(value);
}

/** `value × 10^-scale` rounded half away from zero to an integer. */
export function roundToInteger(numerator: bigint, scale: number): bigint {
  if (scale <= 0) return numerator * 10n ** BigInt(-scale);
  const divisor = 10n ** BigInt(scale);
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= divisor) return numerator < 0n ? quotient - 1n : quotient + 1n;
  return quotient;
}

/** Multiplies a decimal by an integer count. */
export function multiply(decimal: Decimal, count: bigint): Decimal {
  return { numerator: decimal.numerator * count, scale: decimal.scale };
}

/** Sums decimals exactly. */
export function sum(values: readonly Decimal[]): Decimal {
  const scale = values.reduce((max, value) => Math.max(max, value.scale), 0);
  let numerator = 0n;
  for (const value of values) numerator += value.numerator * 10n ** BigInt(scale - value.scale);
  return { numerator, scale };
}

/** Nano-USD per USD. */
export const NANO_PER_USD = 1_000_000_000n;

/** A USD amount (decimal) in integer nano-USD, rounded half away from zero. */
export function usdToNano(usd: Decimal): bigint {
  return roundToInteger(usd.numerator * NANO_PER_USD, usd.scale);
}

/** Integer nano-USD as a USD float, for wire formats that carry floats (OpenRouter `usage.cost`). */
export function nanoToUsdNumber(nano: bigint): number {
  return Number(nano) / 1e9;
}
