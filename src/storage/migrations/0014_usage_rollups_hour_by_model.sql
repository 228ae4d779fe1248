CREATE TABLE "usage_rollups_hour_by_model" (
	"bucket_start" timestamp with time zone NOT NULL,
	"model" text NOT NULL,
	"provider" text NOT NULL,
	"status" text NOT NULL,
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
	CONSTRAINT "usage_rollups_hour_by_model_bucket_start_model_provider_status_pk" PRIMARY KEY("bucket_start","model","provider","status")
);
--> statement-breakpoint
-- Backfill from the hour tier, which equals the ledger (src/storage/usage-rollup-sql.ts MODEL_HOUR_TIER).
INSERT INTO "usage_rollups_hour_by_model" ("bucket_start", "model", "provider", "status", "requests", "errors", "attempts", "retries", "fallbacks", "prompt_tokens", "completion_tokens", "reasoning_tokens", "cached_tokens", "cost_nanousd", "cost_provider_nanousd", "cost_reconciled_nanousd", "cost_computed_nanousd", "cost_estimated_nanousd", "cost_provider_requests", "cost_reconciled_requests", "cost_computed_requests", "cost_estimated_requests", "cost_unknown_requests", "latency_ms_sum", "generation_ms_sum") SELECT "bucket_start", "model", "provider", "status", sum("requests"), sum("errors"), sum("attempts"), sum("retries"), sum("fallbacks"), sum("prompt_tokens"), sum("completion_tokens"), sum("reasoning_tokens"), sum("cached_tokens"), sum("cost_nanousd"), sum("cost_provider_nanousd"), sum("cost_reconciled_nanousd"), sum("cost_computed_nanousd"), sum("cost_estimated_nanousd"), sum("cost_provider_requests"), sum("cost_reconciled_requests"), sum("cost_computed_requests"), sum("cost_estimated_requests"), sum("cost_unknown_requests"), sum("latency_ms_sum"), sum("generation_ms_sum") FROM "usage_rollups_hour" GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
