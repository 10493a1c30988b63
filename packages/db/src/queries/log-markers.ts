import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { events } from "../schema.js";

/** A log line as a timeline marker: where (task or run), when, how loud, and the head of its message. */
export interface LogMarkerView {
  /** null for a run-level log (`run.log`). */
  taskId: string | null;
  /** Time of the log, ms since the epoch. */
  at: number;
  level: "debug" | "info" | "warn" | "error";
  /** The message cut to LOG_MARKER_MESSAGE characters. */
  message: string;
}

/** Markers one call returns at most: the first of a run's logs, in timeline order. */
export const LOG_MARKER_CAP = 5000;
/** Characters of a message a marker keeps (its hover text; the full line is in the logs API). */
export const LOG_MARKER_MESSAGE = 200;

const LEVELS = new Set(["debug", "info", "warn", "error"]);

/**
 * The first `limit` (1..LOG_MARKER_CAP) log lines of a run in timeline (seq) order, in
 * the compact shape the timeline draws as markers; `truncated` when there are more.
 * Reads the partial index `events_log_idx` (the type test is written as literals so it
 * matches the index's predicate in a generic plan too) and never the payloads'
 * attributes.
 */
export async function listLogMarkers(db: Db, projectId: string, runId: string, limit = LOG_MARKER_CAP): Promise<{ markers: LogMarkerView[]; truncated: boolean }> {
  const cap = Math.min(Math.max(Math.floor(limit), 1), LOG_MARKER_CAP);
  const rows = await db
    .select({
      taskId: events.taskId,
      ts: events.ts,
      level: sql<string | null>`${events.payload}->>'level'`,
      message: sql<string | null>`left(${events.payload}->>'message', ${sql.raw(String(LOG_MARKER_MESSAGE))})`,
    })
    .from(events)
    .where(and(eq(events.projectId, projectId), eq(events.runId, runId), sql`${events.type} in ('run.log', 'task.log')`))
    .orderBy(asc(events.seq), asc(events.id))
    .limit(cap + 1);
  const markers = rows.slice(0, cap).map(
    (r): LogMarkerView => ({
      taskId: r.taskId,
      at: r.ts.getTime(),
      level: r.level !== null && LEVELS.has(r.level) ? (r.level as LogMarkerView["level"]) : "info",
      message: r.message ?? "",
    }),
  );
  return { markers, truncated: rows.length > cap };
}
