import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";

/**
 * Every run-owned table leads with (project_id, run_id) so the schema can be
 * distributed by run (Citus) later; projects and api_keys would be reference tables.
 */

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const projects = pgTable("projects", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  createdAt: tstz("created_at").notNull().defaultNow(),
});

export const apiKeys = pgTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** sha256 of the whole key, hex; keys are 256-bit random so a fast hash is enough. */
    keyHash: text("key_hash").notNull().unique(),
    /** First characters of the key, shown so people can tell keys apart. */
    prefix: text("prefix").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [index("api_keys_project_idx").on(t.projectId)],
);

/** Append-only source of truth; a client-made id is stored once per run. */
export const events = pgTable(
  "events",
  {
    projectId: text("project_id").notNull(),
    runId: text("run_id").notNull(),
    id: text("id").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    type: text("type").notNull(),
    taskId: text("task_id"),
    ts: tstz("ts").notNull(),
    receivedAt: tstz("received_at").notNull().defaultNow(),
    /** Type-specific fields (name, input, output, errorMessage, ...). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.runId, t.id] }),
    index("events_task_idx").on(t.projectId, t.runId, t.taskId, t.seq),
  ],
);

/** Projection of a run's own events plus task counters, kept in the ingest transaction. */
export const runs = pgTable(
  "runs",
  {
    projectId: text("project_id").notNull(),
    id: text("id").notNull(),
    name: text("name").notNull(),
    status: text("status").$type<RunStatus>().notNull(),
    input: jsonb("input"),
    output: jsonb("output"),
    errorMessage: text("error_message"),
    errorStack: text("error_stack"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    parentRunId: text("parent_run_id"),
    /** Seen a run.start yet; until then name/startedAt are placeholders from other events. */
    startSeen: integer("start_seen").notNull().default(0),
    startedAt: tstz("started_at").notNull(),
    endedAt: tstz("ended_at"),
    lastEventAt: tstz("last_event_at").notNull(),
    taskCount: integer("task_count").notNull().default(0),
    tasksRunning: integer("tasks_running").notNull().default(0),
    tasksCompleted: integer("tasks_completed").notNull().default(0),
    tasksFailed: integer("tasks_failed").notNull().default(0),
    tasksSkipped: integer("tasks_skipped").notNull().default(0),
    tasksCancelled: integer("tasks_cancelled").notNull().default(0),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.id] }),
    index("runs_recent_idx").on(t.projectId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("runs_status_recent_idx").on(t.projectId, t.status, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("runs_name_recent_idx").on(t.projectId, t.name, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("runs_tags_idx").using("gin", t.tags),
  ],
);

/** Projection of one task's own events, recomputed whenever one of them arrives. */
export const tasks = pgTable(
  "tasks",
  {
    projectId: text("project_id").notNull(),
    runId: text("run_id").notNull(),
    id: text("id").notNull(),
    parentTaskId: text("parent_task_id"),
    name: text("name").notNull(),
    status: text("status").$type<TaskStatus>().notNull(),
    input: jsonb("input"),
    output: jsonb("output"),
    errorMessage: text("error_message"),
    errorStack: text("error_stack"),
    /** Latest human-readable status (a skip reason, later task.update messages). */
    statusMessage: text("status_message"),
    /** seq of the task.start event (timeline position); null until it arrives. */
    startSeq: bigint("start_seq", { mode: "number" }),
    endSeq: bigint("end_seq", { mode: "number" }),
    startedAt: tstz("started_at"),
    endedAt: tstz("ended_at"),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.projectId, t.runId, t.id] }),
    index("tasks_timeline_idx").on(t.projectId, t.runId, t.startSeq),
  ],
);

export const RUN_STATUSES = ["running", "completed", "failed", "cancelled", "timed_out"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TASK_STATUSES = ["running", "completed", "failed", "skipped", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export type Project = typeof projects.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
