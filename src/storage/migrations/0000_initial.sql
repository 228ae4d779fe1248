CREATE TABLE "attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"request_id" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"provider" text NOT NULL,
	"model" text NOT NULL,
	"served_model" text,
	"generation_id" text,
	"status" text NOT NULL,
	"upstream_status" integer,
	"started_at" timestamp with time zone NOT NULL,
	"latency_ms" integer NOT NULL,
	"ttft_ms" integer,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"reasoning_tokens" integer,
	"cached_tokens" integer,
	"cost_nanousd" bigint,
	"cost_source" text
);
--> statement-breakpoint
CREATE TABLE "model_prices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"model_id" text NOT NULL,
	"pricing" json NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" text PRIMARY KEY NOT NULL,
	"canonical_slug" text,
	"name" text NOT NULL,
	"description" text,
	"created" timestamp with time zone,
	"context_length" integer,
	"architecture" jsonb,
	"top_provider" jsonb,
	"supported_parameters" jsonb,
	"raw" json NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"first_seen_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"retired_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "requests" (
	"id" text PRIMARY KEY NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"model" text NOT NULL,
	"provider" text,
	"served_model" text,
	"status" text NOT NULL,
	"http_status" integer NOT NULL,
	"stream" boolean NOT NULL,
	"generation_id" text,
	"prompt_tokens" integer,
	"completion_tokens" integer,
	"reasoning_tokens" integer,
	"cached_tokens" integer,
	"latency_ms" integer NOT NULL,
	"ttft_ms" integer,
	"cost_nanousd" bigint,
	"cost_source" text
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "attempts" ADD CONSTRAINT "attempts_request_id_requests_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "model_prices" ADD CONSTRAINT "model_prices_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "attempts_request_id_idx" ON "attempts" USING btree ("request_id");--> statement-breakpoint
CREATE UNIQUE INDEX "attempts_request_id_attempt_number_idx" ON "attempts" USING btree ("request_id","attempt_number");--> statement-breakpoint
CREATE UNIQUE INDEX "model_prices_model_id_effective_from_idx" ON "model_prices" USING btree ("model_id","effective_from");--> statement-breakpoint
CREATE INDEX "models_status_idx" ON "models" USING btree ("status");--> statement-breakpoint
CREATE INDEX "requests_created_at_id_idx" ON "requests" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);