/**
 * Prometheus metrics (prom-client, docs/analytics.md "Prometheus"): requests, latency, TTFT,
 * tokens, cost, attempts, retries and fallbacks from the settlement listener; circuit states and
 * the ledger's backlog when scraped; rate-limit rejections, queue depth and wait, and budget use
 * through the Metrics hooks (contracts/metrics.ts); HTTP requests per route from the server;
 * Node process metrics. Names follow Prometheus conventions (base units: seconds, USD; `_total`
 * counters). Label values are bounded: at most MAX_LABEL_VALUES distinct values per label, the
 * rest counted as `other`; no request ids, no raw user strings.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AttemptRecord } from '../contracts/ledger.ts';
import type { Metrics } from '../contracts/metrics.ts';
import type { SettlementListener } from './settlement.ts';

/** Most distinct values one label takes before further ones are reported as `other`. */
export const MAX_LABEL_VALUES = 200;

const LATENCY_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const TTFT_BUCKETS_S = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/** One circuit's state as readiness reports it. */
export interface CircuitReading {
  provider: string;
  state: 'closed' | 'open' | 'half_open';
}

export interface PrometheusMetricsOptions {
  /** Circuit state per provider instance, read at scrape time. */
  circuits?: () => Promise<readonly CircuitReading[]>;
  /** Collect Node process metrics (default true). */
  processMetrics?: boolean;
  /** The database connection pool's counts, read at scrape time (null on PGlite: no pool). */
  databasePool?: () => DatabasePoolReading | null;
}

/** Connections of a database pool (node-postgres `Pool`). */
export interface DatabasePoolReading {
  /** Open connections, idle or busy. */
  total: number;
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface PrometheusMetrics extends Metrics {
  /** Feeds the request, attempt, token and cost metrics. */
  readonly listener: SettlementListener;
  /** One HTTP request answered (`route` is the route pattern, never the URL). */
  httpRequest(method: string, route: string | null, statusCode: number, durationMs: number): void;
  /** The ledger committed a batch of `records` in `durationMs` (each settled request added one). */
  ledgerCommitted(records: number, durationMs: number): void;
  /** The exposition text and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Caps the distinct values of one label. */
function boundedLabel(): (value: string | null | undefined) => string {
  const seen = new Set<string>();
  return (value) => {
    const label = value === null || value === undefined || value === '' ? 'none' : value;
    if (seen.has(label)) return label;
    if (seen.size >= MAX_LABEL_VALUES) return 'other';
    seen.add(label);
    return label;
  };
}

/** Creates the metrics on their own registry (several apps in one process never collide). */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry });
  const model = boundedLabel();
  const provider = boundedLabel();
  const status = boundedLabel();
  const route = boundedLabel();
  const budget = boundedLabel();
  const limitLabel = boundedLabel();
  const registers = [registry];

  const requests = new Counter({
    name: 'signalbox_requests_total',
    help: 'Chat requests settled, by route, requested model, final provider and status (success or error code).',
    labelNames: ['route', 'model', 'provider', 'status'],
    registers,
  });
  const requestDuration = new Histogram({
    name: 'signalbox_request_duration_seconds',
    help: 'Chat request duration as the client saw it.',
    labelNames: ['model', 'provider'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const ttft = new Histogram({
    name: 'signalbox_time_to_first_token_seconds',
    help: 'Time to the first content byte sent to the client (streams).',
    labelNames: ['model', 'provider'],
    buckets: TTFT_BUCKETS_S,
    registers,
  });
  const upstreamDuration = new Histogram({
    name: 'signalbox_upstream_duration_seconds',
    help: 'Duration of each upstream attempt.',
    labelNames: ['provider', 'model', 'status'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const attempts = new Counter({
    name: 'signalbox_upstream_attempts_total',
    help: 'Upstream attempts, by provider instance, model and status.',
    labelNames: ['provider', 'model', 'status'],
    registers,
  });
  const retries = new Counter({
    name: 'signalbox_retries_total',
    help: 'Upstream attempts beyond each request’s first (retries and fallbacks).',
    labelNames: ['model'],
    registers,
  });
  const fallbacks = new Counter({
    name: 'signalbox_fallbacks_total',
    help: 'Requests served by a target other than the plan’s first.',
    labelNames: ['model'],
    registers,
  });
  const tokens = new Counter({
    name: 'signalbox_tokens_total',
    help: 'Tokens of settled requests, by type (prompt, completion, reasoning, cached).',
    labelNames: ['model', 'provider', 'type'],
    registers,
  });
  const cost = new Counter({
    name: 'signalbox_cost_usd_total',
    help: 'Known cost of settled requests in USD, by cost source; requests of unknown cost are in signalbox_cost_unknown_requests_total.',
    labelNames: ['model', 'provider', 'source'],
    registers,
  });
  const costUnknown = new Counter({
    name: 'signalbox_cost_unknown_requests_total',
    help: 'Settled requests whose cost is unknown.',
    labelNames: ['model', 'provider'],
    registers,
  });
  const httpRequests = new Counter({
    name: 'signalbox_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers,
  });
  const httpDuration = new Histogram({
    name: 'signalbox_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern.',
    labelNames: ['method', 'route'],
    buckets: LATENCY_BUCKETS_S,
    registers,
  });
  const rateLimited = new Counter({
    name: 'signalbox_rate_limit_rejections_total',
    help: 'Requests refused by a rate limit.',
    labelNames: ['limit'],
    registers,
  });
  const queueDepth = new Gauge({
    name: 'signalbox_queue_depth',
    help: 'Requests waiting in the admission queue.',
    registers,
  });
  const queueWait = new Histogram({
    name: 'signalbox_queue_wait_seconds',
    help: 'Time requests waited in the admission queue.',
    buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30],
    registers,
  });
  const budgetUsed = new Gauge({
    name: 'signalbox_budget_used_ratio',
    help: 'Budget spent / limit, by scope and budget id.',
    labelNames: ['scope', 'budget'],
    registers,
  });
  const ledgerBacklog = new Gauge({
    name: 'signalbox_ledger_backlog_records',
    help: 'Ledger records accepted (journaled) and not yet committed to the database.',
    registers,
  });
  const ledgerFlush = new Histogram({
    name: 'signalbox_ledger_flush_duration_seconds',
    help: 'Duration of each ledger batch commit.',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5],
    registers,
  });
  const databasePool = options.databasePool;
  new Gauge({
    name: 'signalbox_db_pool_connections',
    help: 'PostgreSQL pool: open connections (total), idle ones, and queries waiting for one.',
    labelNames: ['state'],
    registers,
    collect() {
      const reading = databasePool?.() ?? null;
      if (reading === null) return;
      this.set({ state: 'total' }, reading.total);
      this.set({ state: 'idle' }, reading.idle);
      this.set({ state: 'waiting' }, reading.waiting);
    },
  });
  const circuits = options.circuits;
  new Gauge({
    name: 'signalbox_circuit_state',
    help: 'Worst circuit state of each provider instance: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider'],
    registers,
    async collect() {
      if (circuits === undefined) return;
      this.reset();
      for (const reading of await circuits()) {
        const value = reading.state === 'open' ? 2 : reading.state === 'half_open' ? 1 : 0;
        this.set({ provider: provider(reading.provider) }, value);
      }
    },
  });

  let backlog = 0;
  const onAttempt = (attempt: AttemptRecord): void => {
    const labels = {
      provider: provider(attempt.provider),
      model: model(attempt.model),
      status: status(attempt.status),
    };
    attempts.inc(labels);
    upstreamDuration.observe(labels, attempt.latencyMs / 1000);
  };

  return {
    listener: {
      name: 'metrics',
      onAttempt,
      onSettled({ record }) {
        // The ledger listener journals every settled record; the commit takes it off.
        backlog += 1;
        ledgerBacklog.set(backlog);
        const labels = { model: model(record.model), provider: provider(record.provider) };
        requests.inc({ ...labels, route: '/v1/chat/completions', status: status(record.status) });
        requestDuration.observe(labels, record.latencyMs / 1000);
        if (record.ttftMs !== null) ttft.observe(labels, record.ttftMs / 1000);
        if (record.attempts.length > 1)
          retries.inc({ model: labels.model }, record.attempts.length - 1);
        if ((record.servedCandidate ?? 0) > 0) fallbacks.inc({ model: labels.model });
        const counts = {
          prompt: record.promptTokens,
          completion: record.completionTokens,
          reasoning: record.reasoningTokens,
          cached: record.cachedTokens,
        };
        for (const [type, value] of Object.entries(counts))
          if (value !== null && value > 0) tokens.inc({ ...labels, type }, value);
        if (record.costNanoUsd === null) costUnknown.inc(labels);
        else
          cost.inc(
            { ...labels, source: record.costSource ?? 'none' },
            Number(record.costNanoUsd) / 1e9,
          );
      },
    },
    httpRequest(method, routePattern, statusCode, durationMs) {
      const labels = { method, route: route(routePattern ?? 'unmatched') };
      httpRequests.inc({ ...labels, status_code: String(statusCode) });
      httpDuration.observe(labels, durationMs / 1000);
    },
    ledgerCommitted(records, durationMs) {
      backlog = Math.max(0, backlog - records);
      ledgerBacklog.set(backlog);
      ledgerFlush.observe(durationMs / 1000);
    },
    rateLimitRejected(limit) {
      rateLimited.inc({ limit: limitLabel(limit) });
    },
    queueDepth(depth) {
      queueDepth.set(depth);
    },
    queueWaitMs(waitMs) {
      queueWait.observe(waitMs / 1000);
    },
    budgetUsed(scope, budgetId, ratio) {
      budgetUsed.set({ scope, budget: budget(budgetId) }, ratio);
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
