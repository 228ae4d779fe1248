/**
 * Where a budget period starts: midnight of the day, Monday of the ISO week or the first of the
 * month in the configured IANA time zone (`SIGNALBOX_BUDGET_TIME_ZONE`), or the epoch for
 * `total`. Pure; uses `Intl` for the zone's offset, so daylight-saving changes are honoured.
 */
import type { BudgetSpec } from '../contracts/principal.ts';

const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let cached = formatters.get(timeZone);
  if (cached === undefined) {
    cached = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, cached);
  }
  return cached;
}

/** The wall-clock fields of `at` in `timeZone`, as a UTC timestamp (ms) of those fields. */
function wallClockMs(at: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(at))
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/** The instant (ms) whose wall clock in `timeZone` reads `wallMs` (UTC fields), the first such. */
function instantOfWallClock(wallMs: number, timeZone: string): number {
  let guess = wallMs;
  for (let step = 0; step < 3; step += 1) {
    const offset = wallClockMs(guess, timeZone) - Math.floor(guess / 1000) * 1000;
    const next = wallMs - offset;
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** Whether `timeZone` is an IANA zone `Intl` knows (e.g. `UTC`, `Europe/Paris`). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Start of the period containing `now` (ms since the epoch), ms since the epoch; 0 for `total`.
 * Weeks start on Monday (ISO 8601).
 * @throws RangeError for an unknown time zone
 */
export function budgetPeriodStart(
  period: BudgetSpec['period'],
  now: number,
  timeZone: string,
): number {
  if (period === 'total') return 0;
  // The current period of each zone is remembered until the next one starts (Intl is ~15 µs).
  const cacheKey = `${period} ${timeZone}`;
  const cached = currentPeriods.get(cacheKey);
  if (cached !== undefined && now >= cached.start && now < cached.next) return cached.start;
  const start = computePeriodStart(period, now, timeZone);
  const next = computePeriodStart(period, start + (budgetPeriodMaxMs(period) ?? 0), timeZone);
  if (next > start) currentPeriods.set(cacheKey, { start, next });
  return start;
}

const currentPeriods = new Map<string, { start: number; next: number }>();

function computePeriodStart(
  period: Exclude<BudgetSpec['period'], 'total'>,
  now: number,
  timeZone: string,
): number {
  const wall = new Date(wallClockMs(now, timeZone));
  let startWall = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  if (period === 'week') startWall -= ((wall.getUTCDay() + 6) % 7) * DAY_MS;
  else if (period === 'month') startWall = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), 1);
  return instantOfWallClock(startWall, timeZone);
}

/** An upper bound of the period's length, ms (for the expiry of its counters); null for `total`. */
export function budgetPeriodMaxMs(period: BudgetSpec['period']): number | null {
  if (period === 'day') return DAY_MS + 3_600_000;
  if (period === 'week') return 7 * DAY_MS + 3_600_000;
  if (period === 'month') return 31 * DAY_MS + 3_600_000;
  return null;
}
