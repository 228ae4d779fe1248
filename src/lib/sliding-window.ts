/**
 * Counters over a sliding time window, kept in a ring of fixed time buckets (the way Hystrix and
 * resilience4j count failures): memory is constant, `add` is O(1) and `total` is O(buckets).
 * The window slides one bucket at a time, so a total covers between `windowMs - bucketMs` and
 * `windowMs` of history. Times are ms since the epoch (any monotonic ms clock works).
 */
export class SlidingWindow {
  readonly windowMs: number;
  readonly bucketMs: number;
  readonly #fields: number;
  /** Start time of each bucket; NaN = never used. */
  readonly #starts: Float64Array;
  /** `#fields` counters per bucket, bucket-major. */
  readonly #counts: Float64Array;

  /**
   * @param windowMs length of the window, ms (> 0)
   * @param buckets number of buckets (≥ 1); `windowMs / buckets` is the sliding step
   * @param fields how many independent counters each bucket holds (e.g. requests and errors)
   * @throws RangeError when an argument is out of range
   */
  constructor(windowMs: number, buckets: number, fields = 1) {
    if (!(windowMs > 0) || !Number.isInteger(buckets) || buckets < 1) {
      throw new RangeError('SlidingWindow needs windowMs > 0 and an integer buckets ≥ 1');
    }
    if (!Number.isInteger(fields) || fields < 1) {
      throw new RangeError('SlidingWindow needs an integer fields ≥ 1');
    }
    this.windowMs = windowMs;
    this.bucketMs = windowMs / buckets;
    this.#fields = fields;
    this.#starts = new Float64Array(buckets).fill(Number.NaN);
    this.#counts = new Float64Array(buckets * fields);
  }

  /** Adds `amount` to counter `field` at time `now`. */
  add(now: number, field = 0, amount = 1): void {
    const bucket = this.#bucketAt(now);
    this.#counts[bucket * this.#fields + field] =
      (this.#counts[bucket * this.#fields + field] ?? 0) + amount;
  }

  /** Sum of counter `field` over the buckets still inside the window at `now`. */
  total(now: number, field = 0): number {
    const oldest = this.#startOf(now) - this.windowMs;
    let sum = 0;
    for (let bucket = 0; bucket < this.#starts.length; bucket += 1) {
      const start = this.#starts[bucket] ?? Number.NaN;
      if (start > oldest && start <= now) sum += this.#counts[bucket * this.#fields + field] ?? 0;
    }
    return sum;
  }

  /** Forgets everything. */
  clear(): void {
    this.#starts.fill(Number.NaN);
    this.#counts.fill(0);
  }

  #startOf(now: number): number {
    return Math.floor(now / this.bucketMs) * this.bucketMs;
  }

  #bucketAt(now: number): number {
    const start = this.#startOf(now);
    const bucket = Math.floor(start / this.bucketMs) % this.#starts.length;
    if (this.#starts[bucket] !== start) {
      this.#starts[bucket] = start;
      this.#counts.fill(0, bucket * this.#fields, (bucket + 1) * this.#fields);
    }
    return bucket;
  }
}
