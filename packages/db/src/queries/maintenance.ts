import { sql } from "drizzle-orm";
import type { Db } from "../client.js";

/** Resolves when the store answers a statement (the health check); rejects with the driver's error otherwise. */
export async function pingStore(db: Db): Promise<void> {
  await db.execute(sql`select 1`);
}

/**
 * Refreshes the planner's statistics of the tables ingestion grows. Without them
 * Postgres cannot tell a run's primary-key lookup from a scan of the run's whole index;
 * PGlite has no autovacuum to do it. When to call it is the server's choice
 * (apps/web/lib/analyze.ts: by rows written, from the sweeper's timer).
 */
export async function analyzeIngestTables(db: Db): Promise<void> {
  await db.execute(sql`analyze events, tasks, runs`);
}
