CREATE TABLE "providers" (
	"id" text PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"base_url" text NOT NULL,
	"models" jsonb NOT NULL,
	"serve_catalogue" boolean DEFAULT false NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"secret" text,
	"api_key_last4" text,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" text NOT NULL
);
