CREATE TABLE "model_sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"status" text NOT NULL,
	"phase" text DEFAULT 'fetching' NOT NULL,
	"new_models" integer DEFAULT 0 NOT NULL,
	"changed_models" integer DEFAULT 0 NOT NULL,
	"unchanged_models" integer DEFAULT 0 NOT NULL,
	"retired_models" integer DEFAULT 0 NOT NULL,
	"prices_changed" integer DEFAULT 0 NOT NULL,
	"errors" integer DEFAULT 0 NOT NULL,
	"error" text,
	"instance" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "enabled" boolean DEFAULT true NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "model_sync_runs_one_running_idx" ON "model_sync_runs" USING btree ("status") WHERE "model_sync_runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "model_sync_runs_started_at_idx" ON "model_sync_runs" USING btree ("started_at");