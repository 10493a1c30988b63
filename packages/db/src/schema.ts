import { sql } from "drizzle-orm";
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

/**
 * Every run-owned table leads with (project_id, run_id) so the schema can be
 * distributed by run (Citus) later; projects and api_keys would be reference tables.
 */

const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const projects = pgTable(
  "projects",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  /** Names are unique whatever their case, so the CLI can take a name where it takes an id. */
  (t) => [uniqueIndex("projects_name_idx").on(sql`lower(${t.name})`)],
);

/** People who sign in to the dashboard. Admins see every project; members the ones they belong to. */
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    email: text("email").notNull(),
    /** `scrypt$N$r$p$salt$hash` (base64url): the parameters travel with the hash. */
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<UserRole>().notNull().default("member"),
    createdAt: tstz("created_at").notNull().defaultNow(),
    lastLoginAt: tstz("last_login_at"),
    /** Set: the user cannot sign in and their sessions are gone. */
    disabledAt: tstz("disabled_at"),
  },
  (t) => [uniqueIndex("users_email_idx").on(sql`lower(${t.email})`)],
);

/** Dashboard sessions. The cookie holds a random token; only its sha256 is stored. */
export const sessions = pgTable(
  "sessions",
  {
    /** sha256 of the session token, hex: a leaked table does not sign anyone in. */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** Sent back by the session's pages with every state-changing request. */
    csrfToken: text("csrf_token").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    /** Moved at most once a minute (idle timeout), not on every request. */
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    /** Absolute end, whatever the activity. */
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

/** Which members see which project (admins see them all without rows here). */
export const projectMembers = pgTable(
  "project_members",
  {
    projectId: text("project_id")
      .notNull()
      .references(() => projects.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: tstz("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), index("project_members_user_idx").on(t.userId)],
);

/** Small per-installation values made once (the open dashboard's CSRF token). */
export const instanceSettings = pgTable("instance_settings", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
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
    /** Null for keys made by the server itself or the command line. */
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    /** Moved at most once a minute per key and process, never on every batch. */
    lastUsedAt: tstz("last_used_at"),
    revokedAt: tstz("revoked_at"),
  },
  (t) => [index("api_keys_project_idx").on(t.projectId)],
);

/**
 * Token buckets every server process shares on Postgres (lib/api/rate-limit.ts): API
 * keys' request rates, wrong keys per client address, key creation per project. Keyed
 * by what is limited ("api:<key id>", "bad-key:<address>", …), not by run: a plain
 * table (a local or reference table on Citus, never distributed). A bucket holds
 * `tokens` as of `updated_at`; `full_at` is when it will be full again, after which
 * the row means nothing and is purged. PGlite keeps these buckets in memory instead.
 */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  key: text("key").primaryKey(),
  tokens: doublePrecision("tokens").notNull(),
  /** Tokens the last take handed out (what RETURNING can tell the caller). */
  granted: integer("granted").notNull().default(0),
  updatedAt: tstz("updated_at").notNull(),
  fullAt: tstz("full_at").notNull(),
});

/**
 * Sign-in attempts not (yet) known to be right, one row per counted key and attempt
 * (lib/auth/throttle.ts): "pair:" (email and address), "addr:" (address), "email:"
 * (email from anywhere). Emails are stored as their sha256: people type passwords
 * into email fields. Rows older than the window are purged. Plain table, as above.
 */
export const loginFailures = pgTable(
  "login_failures",
  {
    key: text("key").notNull(),
    /** Random id of one sign-in attempt: a right password takes back exactly its own rows. */
    attempt: text("attempt").notNull(),
    at: tstz("at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.key, t.attempt] }), index("login_failures_key_at_idx").on(t.key, t.at), index("login_failures_at_idx").on(t.at)],
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
    /** Log lines of a run in seq order (timeline markers, the logs API). */
    index("events_log_idx")
      .on(t.projectId, t.runId, t.seq)
      .where(sql`${t.type} in ('run.log', 'task.log')`),
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
    /** Silence after which the sweeper marks the run timed_out; null = the server default. */
    heartbeatTimeoutMs: integer("heartbeat_timeout_ms"),
    /** Server time of the last batch (heartbeats included) that touched the run. */
    lastSeenAt: tstz("last_seen_at").notNull().defaultNow(),
    /** Highest seq stored: server-made events (cancel, timeout) go after it. */
    lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
    /** +1 per stored batch that changes the run; tasks carry the version of their last change (live streams). */
    version: bigint("version", { mode: "number" }).notNull().default(0),
    /** Usage reported on the run's own terminal event. */
    ownUsage: jsonb("own_usage").$type<Usage>(),
    /** Sums of the tasks' usage, moved by deltas like the task counters. */
    inputTokens: bigint("input_tokens", { mode: "number" }).notNull().default(0),
    outputTokens: bigint("output_tokens", { mode: "number" }).notNull().default(0),
    costUsd: doublePrecision("cost_usd").notNull().default(0),
    logCount: integer("log_count").notNull().default(0),
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
    /**
     * Name search (`q`): a case-insensitive *prefix* match, `lower(name)` compared
     * byte-wise (text_pattern_ops) so `lower(name) ~>=~ p and lower(name) ~<~ p || U+10FFFF`
     * is an index range on Postgres and PGlite alike, whatever the database's collation,
     * and stays one even in a generic prepared plan (a `like $1` would not). A substring
     * match (`%x%`) would need pg_trgm, which PGlite does not ship; so: prefix.
     */
    index("runs_name_prefix_idx").on(t.projectId, sql`lower(${t.name}) text_pattern_ops`, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst()),
    index("runs_tags_idx").using("gin", t.tags),
    index("runs_parent_idx")
      .on(t.projectId, t.parentRunId, t.startedAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.parentRunId} is not null`),
    /**
     * The timeout sweeper's scan: running runs only. Deliberately not on last_seen_at,
     * which every batch and heartbeat changes: an index on it would make each of those
     * updates rewrite every index of the table (no HOT updates).
     */
    index("runs_running_idx").on(t.projectId, t.id).where(sql`${t.status} = 'running'`),
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
    /** 0..1 from the latest task.update. */
    progress: doublePrecision("progress"),
    inputTokens: bigint("input_tokens", { mode: "number" }),
    outputTokens: bigint("output_tokens", { mode: "number" }),
    costUsd: doublePrecision("cost_usd"),
    /** The run's version when this task last changed. */
    version: bigint("version", { mode: "number" }).notNull().default(0),
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
    index("tasks_version_idx").on(t.projectId, t.runId, t.version),
    /** Cancelling or timing out a run finds its running tasks without a scan. */
    index("tasks_running_idx").on(t.projectId, t.runId).where(sql`${t.status} = 'running'`),
    /** The run page's failure banner: a run's first task to fail (by end), without walking its tasks. */
    index("tasks_failed_idx").on(t.projectId, t.runId, t.endedAt).where(sql`${t.status} = 'failed'`),
  ],
);

/**
 * MCP tasks: the MCP server's `wait_for_run` called as a task (apps/web/lib/mcp).
 * Bound to the API key that made it (another key, even of the same project, does not
 * see it) and kept until `expires_at`. Its state is derived from its run whenever it is
 * asked for, so no worker must stay alive for it and any replica can answer. Keyed by
 * key, not by run: a plain table (local on Citus, never distributed).
 */
export const mcpTasks = pgTable(
  "mcp_tasks",
  {
    id: text("id").primaryKey(),
    keyId: text("key_id").notNull(),
    projectId: text("project_id").notNull(),
    /** The tool that made it (wait_for_run). */
    tool: text("tool").notNull(),
    runId: text("run_id").notNull(),
    status: text("status").$type<McpTaskStatus>().notNull(),
    /** Why it ended: `run_ended`, `wait_timed_out`, `run_missing`, or the canceller's words. */
    statusMessage: text("status_message"),
    /** A result stored whole (storeTaskResult); wait_for_run's is made when it is fetched. */
    result: jsonb("result").$type<Record<string, unknown>>(),
    /** When the wait gives up, the run still open. */
    waitUntil: tstz("wait_until").notNull(),
    ttlMs: integer("ttl_ms").notNull(),
    pollIntervalMs: integer("poll_interval_ms").notNull(),
    createdAt: tstz("created_at").notNull().defaultNow(),
    updatedAt: tstz("updated_at").notNull().defaultNow(),
    expiresAt: tstz("expires_at").notNull(),
  },
  (t) => [index("mcp_tasks_key_idx").on(t.keyId, t.createdAt.desc(), t.id.desc()), index("mcp_tasks_expires_idx").on(t.expiresAt)],
);

/** Token and cost usage reported on a terminal event. */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

export const RUN_STATUSES = ["running", "completed", "failed", "cancelled", "timed_out"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];
export const TASK_STATUSES = ["running", "completed", "failed", "skipped", "cancelled"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const MCP_TASK_STATUSES = ["working", "input_required", "completed", "failed", "cancelled"] as const;
export type McpTaskStatus = (typeof MCP_TASK_STATUSES)[number];

export const USER_ROLES = ["admin", "member"] as const;
export type UserRole = (typeof USER_ROLES)[number];

export type Project = typeof projects.$inferSelect;
export type User = typeof users.$inferSelect;
export type Session = typeof sessions.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
export type RunRow = typeof runs.$inferSelect;
export type NewRunRow = typeof runs.$inferInsert;
export type TaskRow = typeof tasks.$inferSelect;
export type NewTaskRow = typeof tasks.$inferInsert;
export type McpTaskRow = typeof mcpTasks.$inferSelect;
