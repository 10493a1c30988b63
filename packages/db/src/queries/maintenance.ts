import { sql } from "drizzle-orm";
import type { Db } from "../client.js";

/** Resolves when the store answers a statement (the health check); rejects with the driver's error otherwise. */
export async function pingStore(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

const ANALYZE = sql.raw(
  `analyze events (project_id, run_id, id, task_id, seq, type),
     tasks (project_id, run_id, id, parent_task_id, name, status, start_seq, end_seq, version, started_at, ended_at),
     runs`,
);

/**
 * Refreshes the planner's statistics of the tables ingestion grows. Without them
 * Postgres cannot tell a run's primary-key lookup from a scan of the run's whole index;
 * PGlite has no autovacuum to do it. When to call it is the server's choice
 * (apps/web/lib/analyze.ts: by rows written, from the sweeper's timer).
 *
 * Only the columns queries filter, join, group or sort on: statistics of the payload
 * columns (jsonb inputs, outputs, texts) cost two thirds of the whole ANALYZE (0.7 s
 * against 0.2 s on a 200,000-event bench database), and Postgres' autovacuum still
 * analyzes every column now and then.
 */
export async function analyzeIngestTables(db: Db): Promise<void> {
  await db.execute(ANALYZE);
}

