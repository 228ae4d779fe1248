/**
 * Fixed log-scale histograms for latencies (ms), the buckets the usage rollups store
 * (docs/decisions/0016-usage-rollups.md). Bucket 0 holds values ≤ 0; bucket k ≥ 1 holds the
 * values in (γ^(k-2), γ^(k-1)], γ = 1.1; values beyond the last bucket's upper bound
 * (γ^(BUCKETS-2) ≈ 3.4e6 ms, 56 minutes) are counted in the last bucket. Because the buckets are
 * fixed, histograms merge exactly by adding counts, so an hour or a day is the exact merge of its
 * minutes; a quantile read from a histogram is the bucket's representative value
 * 2·γ^(k-1)/(γ+1), within a relative error of (γ-1)/(γ+1) ≈ 4.76 % of the exact value (the same
 * bound as DDSketch, arXiv:1908.10693).
 */

/** Ratio between consecutive bucket bounds. */
export const HISTOGRAM_GAMMA = 1.1;
/** Number of buckets, 0 … HISTOGRAM_BUCKETS - 1. */
export const HISTOGRAM_BUCKETS = 160;
/** Largest relative error of a quantile read from a histogram (values ≤ the last bound). */
export const HISTOGRAM_RELATIVE_ERROR = (HISTOGRAM_GAMMA - 1) / (HISTOGRAM_GAMMA + 1);

const LN_GAMMA = Math.log(HISTOGRAM_GAMMA);

/** The bucket of a value in ms (the SQL twin is `histogramBucketSql`). */
export function histogramBucket(value: number): number {
  if (value <= 0) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, 1 + Math.ceil(Math.log(value) / LN_GAMMA));
}

/**
 * The same bucket computed by SQL from an integer expression (NULL stays NULL), so the ledger
 * insert can fill the rollups' histograms in the statement itself.
 */
export function histogramBucketSql(expression: string): string {
  return (
    `CASE WHEN ${expression} IS NULL THEN NULL WHEN ${expression} <= 0 THEN 0 ` +
    `ELSE least(${String(HISTOGRAM_BUCKETS - 1)}, 1 + ceil(ln(${expression}::float8) / ln(${String(HISTOGRAM_GAMMA)}::float8))::int4) END`
  );
}

/** The value a bucket stands for: 0 for bucket 0, else 2·γ^(k-1)/(γ+1) (ms). */
export function histogramBucketValue(bucket: number): number {
  if (bucket <= 0) return 0;
  return (2 * HISTOGRAM_GAMMA ** (bucket - 1)) / (HISTOGRAM_GAMMA + 1);
}

/** Sparse counts: bucket → count. */
export type HistogramCounts = ReadonlyMap<number, number>;

/**
 * The q-quantile (0 < q ≤ 1) of a histogram by nearest rank: the representative value of the
 * bucket holding the ⌈q·n⌉-th smallest value; null when the histogram is empty.
 */
export function histogramQuantile(counts: HistogramCounts, q: number): number | null {
  let total = 0;
  for (const count of counts.values()) total += count;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...counts.keys()].sort((left, right) => left - right)) {
    seen += counts.get(bucket) ?? 0;
    if (seen >= rank) return histogramBucketValue(bucket);
  }
  return null;
}
