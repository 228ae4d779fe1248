CREATE TABLE "routing_policies" (
	"name" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"policy" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routing_policy_versions" (
	"name" text NOT NULL,
	"version" integer NOT NULL,
	"action" text NOT NULL,
	"policy" jsonb,
	"diff" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"note" text,
	CONSTRAINT "routing_policy_versions_name_version_pk" PRIMARY KEY("name","version")
);
--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "policy" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "policy_version" integer;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "policy_variant" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "served_candidate" integer;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "routing_decision" jsonb;--> statement-breakpoint
CREATE INDEX "requests_policy_created_at_idx" ON "requests" USING btree ("policy","created_at") WHERE "requests"."policy" is not null;