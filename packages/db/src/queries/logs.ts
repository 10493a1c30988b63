import { and, asc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { events } from "../schema.js";
import { InvalidCursorError, storableId } from "./runs.js";
import type { LogView } from "./views.js";

export interface LogFilter {
  /** One task's lines; null for the run's own lines only (no task); absent for all of them. */
  taskId?: string | null | undefined;
  /** 1..1000, default 200. */
  limit?: number | undefined;
  cursor?: string | undefined;
}

const LEVELS = new Set(["debug", "info", "warn", "error"]);

function encode(seq: number, id: string): string {
  return Buffer.from(JSON.stringify([seq, id])).toString("base64url");
}

function decode(cursor: string): { seq: number; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && Number.isSafeInteger(parsed[0]) && storableId(parsed[1])) {
      return { seq: parsed[0] as number, id: parsed[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError("cursor: not a cursor this API returned");
}

/** A run's log lines (or one task's) in timeline (seq) order, a page at a time. */
export async function listLogs(
  db: Db,
  projectId: string,
  runId: string,
  filter: LogFilter = {},
): Promise<{ data: LogView[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 200, 1), 1000);
  const where: SQL[] = [eq(events.projectId, projectId), eq(events.runId, runId), inArray(events.type, ["run.log", "task.log"])];
  if (filter.taskId) where.push(eq(events.taskId, filter.taskId));
  else if (filter.taskId === null) where.push(isNull(events.taskId));
  if (filter.cursor) {
    const c = decode(filter.cursor);
    where.push(sql`(${events.seq}, ${events.id}) > (${c.seq}, ${c.id})`);
  }
  const rows = await db
    .select({ id: events.id, runId: events.runId, taskId: events.taskId, seq: events.seq, ts: events.ts, payload: events.payload })
    .from(events)
    .where(and(...where))
    .orderBy(asc(events.seq), asc(events.id))
    .limit(limit + 1);
  const data: LogView[] = rows.slice(0, limit).map((r) => {
    const { message, level, attributes } = r.payload;
    return {
      id: r.id,
      runId: r.runId,
      taskId: r.taskId,
      seq: r.seq,
      ts: r.ts.toISOString(),
      level: typeof level === "string" && LEVELS.has(level) ? level : "info",
      message: typeof message === "string" ? message : "",
      attributes: attributes && typeof attributes === "object" && !Array.isArray(attributes) ? (attributes as Record<string, unknown>) : null,
    };
  });
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encode(last.seq, last.id) : null };
}
