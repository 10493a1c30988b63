CREATE TABLE "mcp_tasks" (
	"id" text PRIMARY KEY NOT NULL,
	"key_id" text NOT NULL,
	"project_id" text NOT NULL,
	"tool" text NOT NULL,
	"run_id" text NOT NULL,
	"status" text NOT NULL,
	"status_message" text,
	"result" jsonb,
	"wait_until" timestamp with time zone NOT NULL,
	"ttl_ms" integer NOT NULL,
	"poll_interval_ms" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "mcp_tasks_key_idx" ON "mcp_tasks" USING btree ("key_id","created_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "mcp_tasks_expires_idx" ON "mcp_tasks" USING btree ("expires_at");