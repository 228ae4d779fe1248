/**
 * zod schemas of the admin analytics API (`/admin/analytics/...`, docs/analytics.md): the query
 * string every report takes and the response bodies — the source for the admin OpenAPI document.
 */
import { z } from 'zod';

const interval = z.enum(['minute', 'hour', 'day']);
const groupBy = z.enum(['model', 'provider', 'key', 'project', 'policy', 'status']);

/** `from`/`to` ISO times, interval, grouping and exact-value filters. */
export const analyticsQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  interval: interval.default('hour'),
  group_by: groupBy.optional(),
  model: z.string().min(1).optional(),
  provider: z.string().min(1).optional(),
  key_id: z.string().min(1).optional(),
  project_id: z.string().min(1).optional(),
  policy: z.string().min(1).optional(),
  status: z.string().min(1).optional(),
});

const money = {
  /** nano-USD, exact, as a decimal string. */
  cost_nanousd: z.string(),
  /** USD as a number (for charts). */
  cost_usd: z.number(),
};

const usageFields = z.object({
  requests: z.int(),
  errors: z.int(),
  prompt_tokens: z.int(),
  completion_tokens: z.int(),
  reasoning_tokens: z.int(),
  cached_tokens: z.int(),
  ...money,
  /** Requests whose cost is unknown (not included in the cost). */
  cost_unknown_requests: z.int(),
});

const sourceFigures = z.object({ requests: z.int(), ...money });

const costFields = z.object({
  requests: z.int(),
  ...money,
  by_source: z.object({
    provider: sourceFigures,
    reconciled: sourceFigures,
    computed: sourceFigures,
    estimated: sourceFigures,
    unknown: z.object({ requests: z.int() }),
  }),
});

const performanceFields = z.object({
  requests: z.int(),
  latency_ms_p50: z.number().nullable(),
  latency_ms_p95: z.number().nullable(),
  latency_ms_p99: z.number().nullable(),
  ttft_ms_p50: z.number().nullable(),
  ttft_ms_p95: z.number().nullable(),
  error_rate: z.number().nullable(),
  retry_rate: z.number().nullable(),
  fallback_rate: z.number().nullable(),
  tokens_per_second: z.number().nullable(),
});

/** A report: one series per group, a point per interval, and the totals. */
function report<Fields extends z.ZodType, Point extends z.ZodType>(fields: Fields, point: Point) {
  return z.object({
    interval,
    group_by: groupBy.nullable(),
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    series: z.array(
      z.object({
        /** The group's value; null when none was recorded (or no grouping). */
        group: z.string().nullable(),
        points: z.array(point),
      }),
    ),
    totals: fields,
  });
}

/** `t`: the start of the interval. */
const at = { t: z.iso.datetime() };

export const usageResponse = report(usageFields, usageFields.extend(at));
export const costResponse = report(costFields, costFields.extend(at));
export const performanceResponse = report(performanceFields, performanceFields.extend(at));

export const reconciliationQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  model: z.string().min(1).optional(),
});

export const reconciliationResponse = z.object({
  from: z.iso.datetime(),
  to: z.iso.datetime(),
  /** Attempts compared: upstream cost known, tokens known, a catalogue price in force. */
  count: z.int(),
  /** Attempts with an upstream cost that could not be compared (no tokens or no price). */
  skipped: z.int(),
  /** Mean and largest |computed − upstream| / upstream; null when count is 0. */
  mean_relative_error: z.number().nullable(),
  max_relative_error: z.number().nullable(),
  /** Share of compared attempts within 1 % of the upstream figure. */
  within_1_percent: z.number().nullable(),
  upstream_cost_nanousd: z.string(),
  computed_cost_nanousd: z.string(),
  models: z.array(
    z.object({
      model: z.string(),
      count: z.int(),
      mean_relative_error: z.number(),
      max_relative_error: z.number(),
    }),
  ),
});
