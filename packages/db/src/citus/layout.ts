import { getTableName } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import * as schema from "../schema.js";

/**
 * How every table is laid out on a Citus cluster: the one place `db distribute`, the
 * Citus test stores and the schema test (layout.test.ts) read it from.
 *
 * Runs are sharded by their id and everything a run owns by `run_id`, co-located with
 * `runs`: all of one run's rows live in one shard group on one worker, so per-run
 * statements (ingest, the run page, the live stream, cancel) go to one node, and joins
 * between a run and its tasks or events on the run id stay local. The small tables
 * (projects, users, keys, sessions) are reference tables: a copy on every node, so any
 * shard can join with them.
 */

export interface DistributedTableLayout {
  name: string;
  kind: "distributed";
  /** The distribution column (its SQL name). */
  column: string;
  /** The table whose shards this one's share (null: the first of its co-location group). */
  colocateWith: string | null;
}

export interface ReferenceTableLayout {
  name: string;
  kind: "reference";
}

/**
 * Left a plain table on the coordinator: counters every request may write (rate-limit
 * buckets, sign-in failures) and MCP tasks' small state rows. They join nothing, and all traffic
 * reaches the database through the coordinator anyway (docs/scaling.md), so a local
 * table gives one writer and no two-phase commit across nodes; Citus also refuses the
 * `now()` their upserts compute from inside `ON CONFLICT DO UPDATE` on a reference table.
 */
export interface CoordinatorTableLayout {
  name: string;
  kind: "coordinator";
}

export type TableLayout = DistributedTableLayout | ReferenceTableLayout | CoordinatorTableLayout;

/** The migrator's own bookkeeping (migrate.ts): not in schema.ts, but a table of the database all the same. */
export const MIGRATIONS_TABLE = "runtrail_migrations";

const reference = (table: PgTable): ReferenceTableLayout => ({ name: getTableName(table), kind: "reference" });

const coordinator = (table: PgTable): CoordinatorTableLayout => ({ name: getTableName(table), kind: "coordinator" });

const distributed = (table: PgTable, column: PgColumn, colocateWith: PgTable | null): DistributedTableLayout => ({
  name: getTableName(table),
  kind: "distributed",
  column: column.name,
  colocateWith: colocateWith ? getTableName(colocateWith) : null,
});

/**
 * In the order `db distribute` converts them: a table after every table its foreign keys
 * point at (Citus makes a reference table only when what it references already is one),
 * and a co-located table after the table it is co-located with. A new table in
 * schema.ts must be added here; layout.test.ts fails until it is, and until its primary
 * key and unique indexes hold its distribution column.
 */
export const LAYOUT: readonly TableLayout[] = [
  reference(schema.projects),
  reference(schema.users),
  reference(schema.sessions),
  reference(schema.projectMembers),
  reference(schema.instanceSettings),
  reference(schema.apiKeys),
  coordinator(schema.rateLimitBuckets),
  coordinator(schema.loginFailures),
  coordinator(schema.mcpTasks),
  { name: MIGRATIONS_TABLE, kind: "reference" },
  distributed(schema.runs, schema.runs.id, null),
  distributed(schema.tasks, schema.tasks.runId, schema.runs),
  distributed(schema.events, schema.events.runId, schema.runs),
];

export function layoutOf(table: string): TableLayout | undefined {
  return LAYOUT.find((t) => t.name === table);
}
