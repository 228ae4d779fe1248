-- Traffic profile by UTC day × key × project × requested model × required-feature source, for the
-- recommendations (src/storage/traffic-profile-repository.ts, ADR 0023). Holds whole UTC days
-- before `traffic_profile_refresh.cutoff`; refreshed in the background, never on the insert path.
-- Null key/project ids are stored as '' and legacy rows' requirement names (required_features
-- null) as the decision's `requirements` array (JSON null when none), so that the unique index
-- REFRESH ... CONCURRENTLY needs has no null column.
CREATE MATERIALIZED VIEW "traffic_profile_days" AS
SELECT
	date_trunc('day', "created_at" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "day",
	coalesce("key_id", '') AS "key_id",
	coalesce("project_id", '') AS "project_id",
	"model",
	coalesce("required_features", -1) AS "required_features",
	CASE WHEN "required_features" IS NULL
		THEN coalesce("routing_decision"->'requirements', 'null'::jsonb)
		ELSE 'null'::jsonb END AS "legacy_requirements",
	count(*)::int8 AS "requests",
	coalesce(sum("prompt_tokens"), 0)::int8 AS "prompt_tokens",
	coalesce(sum("completion_tokens"), 0)::int8 AS "completion_tokens",
	coalesce(sum("reasoning_tokens"), 0)::int8 AS "reasoning_tokens",
	coalesce(sum("cached_tokens"), 0)::int8 AS "cached_tokens",
	sum("cost_nanousd") AS "cost_nanousd",
	max("prompt_tokens") AS "max_prompt_tokens",
	max("completion_tokens") AS "max_completion_tokens",
	max(coalesce("prompt_tokens", 0) + coalesce("completion_tokens", 0)) AS "max_total_tokens",
	bool_or("reasoning_tokens" > 0) AS "reasoning_used"
FROM "requests"
WHERE "created_at" < date_trunc('day', (now() - interval '1 hour') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
	AND "model" <> '' AND "model" NOT LIKE 'signalbox/%'
GROUP BY 1, 2, 3, 4, 5, 6;
--> statement-breakpoint
CREATE UNIQUE INDEX "traffic_profile_days_key_idx" ON "traffic_profile_days" ("day", "key_id", "project_id", "model", "required_features", "legacy_requirements");
--> statement-breakpoint
-- One row: the materialized view holds exactly the requests created before `cutoff`.
CREATE TABLE "traffic_profile_refresh" (
	"id" integer PRIMARY KEY DEFAULT 1 CHECK ("id" = 1),
	"cutoff" timestamp with time zone NOT NULL,
	"refreshed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "traffic_profile_refresh" ("id", "cutoff", "refreshed_at")
-- '-infinity' until the first refresh: every read comes from the ledger until then.
VALUES (1, '-infinity', now());
--> statement-breakpoint
-- The latency histogram of each requested model by UTC day, from the hour tier, before the same
-- cut-off (the recommendations' observed figures of an alternative).
CREATE MATERIALIZED VIEW "model_latency_days" AS
SELECT
	date_trunc('day', "bucket_start" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "day",
	"model",
	"bucket",
	sum("count")::int8 AS "count"
FROM "usage_histograms_hour"
WHERE "metric" = 'latency_ms'
	AND "bucket_start" < date_trunc('day', (now() - interval '1 hour') AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE UNIQUE INDEX "model_latency_days_key_idx" ON "model_latency_days" ("model", "day", "bucket");
