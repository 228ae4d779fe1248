ALTER TABLE "requests" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "requests" ADD COLUMN "project_id" text;--> statement-breakpoint
CREATE INDEX "requests_key_id_created_at_idx" ON "requests" USING btree ("key_id","created_at") WHERE "requests"."key_id" is not null;--> statement-breakpoint
CREATE INDEX "requests_project_id_created_at_idx" ON "requests" USING btree ("project_id","created_at") WHERE "requests"."project_id" is not null;