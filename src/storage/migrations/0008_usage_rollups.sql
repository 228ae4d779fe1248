CREATE TABLE "usage_histograms_hour" (
	"bucket_start" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"policy" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" integer NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "usage_histograms_hour_bucket_start_key_id_project_id_model_provider_status_policy_metric_bucket_pk" PRIMARY KEY("bucket_start","key_id","project_id","model","provider","status","policy","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "usage_histograms_minute" (
	"bucket_start" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"policy" text NOT NULL,
	"metric" text NOT NULL,
	"bucket" integer NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "usage_histograms_minute_bucket_start_key_id_project_id_model_provider_status_policy_metric_bucket_pk" PRIMARY KEY("bucket_start","key_id","project_id","model","provider","status","policy","metric","bucket")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_hour" (
	"bucket_start" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"policy" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"retries" bigint DEFAULT 0 NOT NULL,
	"fallbacks" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"reasoning_tokens" bigint DEFAULT 0 NOT NULL,
	"cached_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_provider_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_reconciled_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_computed_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_estimated_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_provider_requests" bigint DEFAULT 0 NOT NULL,
	"cost_reconciled_requests" bigint DEFAULT 0 NOT NULL,
	"cost_computed_requests" bigint DEFAULT 0 NOT NULL,
	"cost_estimated_requests" bigint DEFAULT 0 NOT NULL,
	"cost_unknown_requests" bigint DEFAULT 0 NOT NULL,
	"latency_ms_sum" bigint DEFAULT 0 NOT NULL,
	"generation_ms_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_rollups_hour_bucket_start_key_id_project_id_model_provider_status_policy_pk" PRIMARY KEY("bucket_start","key_id","project_id","model","provider","status","policy")
);
--> statement-breakpoint
CREATE TABLE "usage_rollups_minute" (
	"bucket_start" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
	"policy" text NOT NULL,
	"requests" bigint DEFAULT 0 NOT NULL,
	"errors" bigint DEFAULT 0 NOT NULL,
	"attempts" bigint DEFAULT 0 NOT NULL,
	"retries" bigint DEFAULT 0 NOT NULL,
	"fallbacks" bigint DEFAULT 0 NOT NULL,
	"prompt_tokens" bigint DEFAULT 0 NOT NULL,
	"completion_tokens" bigint DEFAULT 0 NOT NULL,
	"reasoning_tokens" bigint DEFAULT 0 NOT NULL,
	"cached_tokens" bigint DEFAULT 0 NOT NULL,
	"cost_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_provider_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_reconciled_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_computed_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_estimated_nanousd" bigint DEFAULT 0 NOT NULL,
	"cost_provider_requests" bigint DEFAULT 0 NOT NULL,
	"cost_reconciled_requests" bigint DEFAULT 0 NOT NULL,
	"cost_computed_requests" bigint DEFAULT 0 NOT NULL,
	"cost_estimated_requests" bigint DEFAULT 0 NOT NULL,
	"cost_unknown_requests" bigint DEFAULT 0 NOT NULL,
	"latency_ms_sum" bigint DEFAULT 0 NOT NULL,
	"generation_ms_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_rollups_minute_bucket_start_key_id_project_id_model_provider_status_policy_pk" PRIMARY KEY("bucket_start","key_id","project_id","model","provider","status","policy")
);
--> statement-breakpoint
-- Backfill: the rollups of the rows stored before this migration (src/storage/usage-rollup-sql.ts).
INSERT INTO "usage_rollups_minute" AS t ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "requests", "errors", "attempts", "retries", "fallbacks", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "cost_nanousd", "cost_provider_nanousd", "cost_reconciled_nanousd", "cost_computed_nanousd", "cost_estimated_nanousd", "cost_provider_requests", "cost_reconciled_requests", "cost_computed_requests", "cost_estimated_requests", "cost_unknown_requests", "latency_ms_sum", "generation_ms_sum") SELECT date_trunc('minute', created_at, 'UTC'), coalesce(key_id, ''), coalesce(project_id, ''), coalesce(model, ''), coalesce(provider, ''), coalesce(status, ''), coalesce(policy, ''), sum(1), sum(CASE WHEN status <> 'success' THEN 1 ELSE 0 END), sum(attempt_count), sum(greatest(attempt_count - 1, 0)), sum(CASE WHEN served_candidate > 0 THEN 1 ELSE 0 END), sum(coalesce(prompt_tokens, 0)), sum(coalesce(completion_tokens, 0)), sum(coalesce(reasoning_tokens, 0)), sum(coalesce(cached_tokens, 0)), sum(coalesce(cost_nanousd, 0)), sum(CASE WHEN cost_source = 'provider' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'reconciled' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'computed' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'estimated' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'provider' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'reconciled' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'computed' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'estimated' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_nanousd IS NULL THEN 1 ELSE 0 END), sum(latency_ms), sum(CASE WHEN completion_tokens IS NOT NULL THEN latency_ms ELSE 0 END) FROM (SELECT r.*, (SELECT count(*) FROM "attempts" a WHERE a."request_id" = r."id") AS attempt_count FROM "requests" r) AS backfill GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy") DO UPDATE SET "requests" = t."requests" + excluded."requests", "errors" = t."errors" + excluded."errors", "attempts" = t."attempts" + excluded."attempts", "retries" = t."retries" + excluded."retries", "fallbacks" = t."fallbacks" + excluded."fallbacks", "prompt_tokens" = t."prompt_tokens" + excluded."prompt_tokens", "completion_tokens" = t."completion_tokens" + excluded."completion_tokens", "reasoning_tokens" = t."reasoning_tokens" + excluded."reasoning_tokens", "cached_tokens" = t."cached_tokens" + excluded."cached_tokens", "cost_nanousd" = t."cost_nanousd" + excluded."cost_nanousd", "cost_provider_nanousd" = t."cost_provider_nanousd" + excluded."cost_provider_nanousd", "cost_reconciled_nanousd" = t."cost_reconciled_nanousd" + excluded."cost_reconciled_nanousd", "cost_computed_nanousd" = t."cost_computed_nanousd" + excluded."cost_computed_nanousd", "cost_estimated_nanousd" = t."cost_estimated_nanousd" + excluded."cost_estimated_nanousd", "cost_provider_requests" = t."cost_provider_requests" + excluded."cost_provider_requests", "cost_reconciled_requests" = t."cost_reconciled_requests" + excluded."cost_reconciled_requests", "cost_computed_requests" = t."cost_computed_requests" + excluded."cost_computed_requests", "cost_estimated_requests" = t."cost_estimated_requests" + excluded."cost_estimated_requests", "cost_unknown_requests" = t."cost_unknown_requests" + excluded."cost_unknown_requests", "latency_ms_sum" = t."latency_ms_sum" + excluded."latency_ms_sum", "generation_ms_sum" = t."generation_ms_sum" + excluded."generation_ms_sum";
--> statement-breakpoint
INSERT INTO "usage_histograms_minute" AS t ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "metric", "bucket", "count") SELECT date_trunc('minute', created_at, 'UTC'), coalesce(key_id, ''), coalesce(project_id, ''), coalesce(model, ''), coalesce(provider, ''), coalesce(status, ''), coalesce(policy, ''), m.metric, m.bucket, count(*) FROM (SELECT r.*, (SELECT count(*) FROM "attempts" a WHERE a."request_id" = r."id") AS attempt_count FROM "requests" r) AS backfill, LATERAL (VALUES ('latency_ms', CASE WHEN latency_ms IS NULL THEN NULL WHEN latency_ms <= 0 THEN 0 ELSE least(159, 1 + ceil(ln(latency_ms::float8) / ln(1.1::float8))::int4) END), ('ttft_ms', CASE WHEN ttft_ms IS NULL THEN NULL WHEN ttft_ms <= 0 THEN 0 ELSE least(159, 1 + ceil(ln(ttft_ms::float8) / ln(1.1::float8))::int4) END)) AS m (metric, bucket) WHERE m.bucket IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ON CONFLICT ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count";
--> statement-breakpoint
INSERT INTO "usage_rollups_hour" AS t ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "requests", "errors", "attempts", "retries", "fallbacks", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "cost_nanousd", "cost_provider_nanousd", "cost_reconciled_nanousd", "cost_computed_nanousd", "cost_estimated_nanousd", "cost_provider_requests", "cost_reconciled_requests", "cost_computed_requests", "cost_estimated_requests", "cost_unknown_requests", "latency_ms_sum", "generation_ms_sum") SELECT date_trunc('hour', created_at, 'UTC'), coalesce(key_id, ''), coalesce(project_id, ''), coalesce(model, ''), coalesce(provider, ''), coalesce(status, ''), coalesce(policy, ''), sum(1), sum(CASE WHEN status <> 'success' THEN 1 ELSE 0 END), sum(attempt_count), sum(greatest(attempt_count - 1, 0)), sum(CASE WHEN served_candidate > 0 THEN 1 ELSE 0 END), sum(coalesce(prompt_tokens, 0)), sum(coalesce(completion_tokens, 0)), sum(coalesce(reasoning_tokens, 0)), sum(coalesce(cached_tokens, 0)), sum(coalesce(cost_nanousd, 0)), sum(CASE WHEN cost_source = 'provider' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'reconciled' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'computed' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'estimated' THEN coalesce(cost_nanousd, 0) ELSE 0 END), sum(CASE WHEN cost_source = 'provider' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'reconciled' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'computed' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_source = 'estimated' AND cost_nanousd IS NOT NULL THEN 1 ELSE 0 END), sum(CASE WHEN cost_nanousd IS NULL THEN 1 ELSE 0 END), sum(latency_ms), sum(CASE WHEN completion_tokens IS NOT NULL THEN latency_ms ELSE 0 END) FROM (SELECT r.*, (SELECT count(*) FROM "attempts" a WHERE a."request_id" = r."id") AS attempt_count FROM "requests" r) AS backfill GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy") DO UPDATE SET "requests" = t."requests" + excluded."requests", "errors" = t."errors" + excluded."errors", "attempts" = t."attempts" + excluded."attempts", "retries" = t."retries" + excluded."retries", "fallbacks" = t."fallbacks" + excluded."fallbacks", "prompt_tokens" = t."prompt_tokens" + excluded."prompt_tokens", "completion_tokens" = t."completion_tokens" + excluded."completion_tokens", "reasoning_tokens" = t."reasoning_tokens" + excluded."reasoning_tokens", "cached_tokens" = t."cached_tokens" + excluded."cached_tokens", "cost_nanousd" = t."cost_nanousd" + excluded."cost_nanousd", "cost_provider_nanousd" = t."cost_provider_nanousd" + excluded."cost_provider_nanousd", "cost_reconciled_nanousd" = t."cost_reconciled_nanousd" + excluded."cost_reconciled_nanousd", "cost_computed_nanousd" = t."cost_computed_nanousd" + excluded."cost_computed_nanousd", "cost_estimated_nanousd" = t."cost_estimated_nanousd" + excluded."cost_estimated_nanousd", "cost_provider_requests" = t."cost_provider_requests" + excluded."cost_provider_requests", "cost_reconciled_requests" = t."cost_reconciled_requests" + excluded."cost_reconciled_requests", "cost_computed_requests" = t."cost_computed_requests" + excluded."cost_computed_requests", "cost_estimated_requests" = t."cost_estimated_requests" + excluded."cost_estimated_requests", "cost_unknown_requests" = t."cost_unknown_requests" + excluded."cost_unknown_requests", "latency_ms_sum" = t."latency_ms_sum" + excluded."latency_ms_sum", "generation_ms_sum" = t."generation_ms_sum" + excluded."generation_ms_sum";
--> statement-breakpoint
INSERT INTO "usage_histograms_hour" AS t ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "metric", "bucket", "count") SELECT date_trunc('hour', created_at, 'UTC'), coalesce(key_id, ''), coalesce(project_id, ''), coalesce(model, ''), coalesce(provider, ''), coalesce(status, ''), coalesce(policy, ''), m.metric, m.bucket, count(*) FROM (SELECT r.*, (SELECT count(*) FROM "attempts" a WHERE a."request_id" = r."id") AS attempt_count FROM "requests" r) AS backfill, LATERAL (VALUES ('latency_ms', CASE WHEN latency_ms IS NULL THEN NULL WHEN latency_ms <= 0 THEN 0 ELSE least(159, 1 + ceil(ln(latency_ms::float8) / ln(1.1::float8))::int4) END), ('ttft_ms', CASE WHEN ttft_ms IS NULL THEN NULL WHEN ttft_ms <= 0 THEN 0 ELSE least(159, 1 + ceil(ln(ttft_ms::float8) / ln(1.1::float8))::int4) END)) AS m (metric, bucket) WHERE m.bucket IS NOT NULL GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ON CONFLICT ("bucket_start", "key_id", "project_id", "model", "provider", "status", "policy", "metric", "bucket") DO UPDATE SET "count" = t."count" + excluded."count";
