import { analyzeIngestTables, type Db } from "@runtrail/db";
import { processSingleton } from "./process-singleton";

/**
 * Keeps planner statistics fresh on the tables ingestion grows. Without them
 * Postgres cannot tell a run's primary-key lookup from a scan of the run's whole
 * index and may pick the scan (seen: 150 ms instead of 0.2 ms per batch on a new
 * database). Postgres' autovacuum analyzes within a minute or so; PGlite has no
 * autovacuum at all. So: ANALYZE after the first 500 stored events, then whenever
 * the rows written since the last ANALYZE reach a fifth of the total then (at
 * least 5,000). Called from the sweeper's timer, never on a request.
 */
const writes = processSingleton("writes", () => ({ since: 0, atLast: 0, total: 0 }));

/** Counts rows an ingest batch stored (events; tasks and runs grow with them). */
export function noteWrites(rows: number): void {
  writes.since += rows;
  writes.total += rows;
}

export async function analyzeIfDue(db: Db): Promise<boolean> {
  const due = writes.atLast === 0 ? writes.since >= 500 : writes.since >= Math.max(5000, writes.atLast / 5);
  if (!due) return false;
  writes.since = 0;
  writes.atLast = writes.total;
  await analyzeIngestTables(db);
  return true;
}
