ALTER TABLE "runs" ADD COLUMN "heartbeat_timeout_ms" integer;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "last_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "own_usage" jsonb;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "input_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "output_tokens" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "cost_usd" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "log_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "progress" double precision;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "input_tokens" bigint;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "output_tokens" bigint;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "cost_usd" double precision;--> statement-breakpoint
ALTER TABLE "tasks" ADD COLUMN "version" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "events_log_idx" ON "events" USING btree ("project_id","run_id","seq") WHERE "events"."type" in ('run.log', 'task.log');--> statement-breakpoint
CREATE INDEX "runs_parent_idx" ON "runs" USING btree ("project_id","parent_run_id","started_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "runs"."parent_run_id" is not null;--> statement-breakpoint
CREATE INDEX "runs_running_idx" ON "runs" USING btree ("project_id","id") WHERE "runs"."status" = 'running';--> statement-breakpoint
CREATE INDEX "tasks_version_idx" ON "tasks" USING btree ("project_id","run_id","version");--> statement-breakpoint
CREATE INDEX "tasks_running_idx" ON "tasks" USING btree ("project_id","run_id") WHERE "tasks"."status" = 'running';--> statement-breakpoint
-- Rows written before versions existed: version 1, so a stream from version 0 sends them.
UPDATE "runs" SET "version" = 1 WHERE "version" = 0;--> statement-breakpoint
UPDATE "tasks" SET "version" = 1 WHERE "version" = 0;--> statement-breakpoint
UPDATE "runs" SET "last_seq" = coalesce((SELECT max("seq") FROM "events" e WHERE e."project_id" = "runs"."project_id" AND e."run_id" = "runs"."id"), 0) WHERE "last_seq" = 0;
