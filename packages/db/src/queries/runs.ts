import { and, arrayContains, asc, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { type RunStatus, runs, tasks } from "../schema.js";
import { type RunSummaryView, type RunView, summaryColumns, type TaskView, toRunSummaryView, toRunView, toTaskView } from "./views.js";

export interface RunFilter {
  status?: RunStatus | undefined;
  /** Exact run name. */
  name?: string | undefined;
  tag?: string | undefined;
  /** Runs started by this run (their run.start named it as parentRunId). */
  parentRunId?: string | undefined;
  /** Runs started at or after this time. */
  from?: Date | undefined;
  /** Runs started before this time. */
  to?: Date | undefined;
  /** 1..200, default 50. */
  limit?: number | undefined;
  /** Opaque cursor from a previous page's nextCursor. */
  cursor?: string | undefined;
}

export interface RunPage {
  data: RunSummaryView[];
  nextCursor: string | null;
}

export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
}

/** Keyset cursor over (startedAt desc, id desc): stable under concurrent inserts. */
export function encodeCursor(startedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString("base64url");
}

export function decodeCursor(cursor: string): { startedAt: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && typeof parsed[1] === "string") {
      const startedAt = new Date(parsed[0]);
      if (!Number.isNaN(startedAt.getTime())) return { startedAt, id: parsed[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError("cursor: not a cursor this API returned");
}

/** Newest runs first, one page at a time. */
export async function listRuns(db: Db, projectId: string, filter: RunFilter = {}): Promise<RunPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where: SQL[] = [eq(runs.projectId, projectId)];
  if (filter.status) where.push(eq(runs.status, filter.status));
  if (filter.name) where.push(eq(runs.name, filter.name));
  if (filter.tag) where.push(arrayContains(runs.tags, [filter.tag]));
  if (filter.parentRunId) where.push(eq(runs.parentRunId, filter.parentRunId));
  if (filter.from) where.push(gte(runs.startedAt, filter.from));
  if (filter.to) where.push(lt(runs.startedAt, filter.to));
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    where.push(sql`(${runs.startedAt}, ${runs.id}) < (${c.startedAt.toISOString()}::timestamptz, ${c.id})`);
  }
  const rows = await db
    .select(summaryColumns)
    .from(runs)
    .where(and(...where))
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(limit + 1);
  const data = rows.slice(0, limit).map(toRunSummaryView);
  const last = data[data.length - 1];
  return { data, nextCursor: rows.length > limit && last ? encodeCursor(last.startedAt, last.id) : null };
}

/** A run, or null when the project has no such run. */
export async function getRunOnly(db: Db, projectId: string, runId: string): Promise<RunView | null> {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  return run ? toRunView(run) : null;
}

/** A run with its tasks in timeline order (emit order), or null when the project has no such run. */
export async function getRun(db: Db, projectId: string, runId: string): Promise<{ run: RunView; tasks: TaskView[] } | null> {
  const run = await getRunOnly(db, projectId, runId);
  if (!run) return null;
  const rows = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.runId, runId)))
    // A task whose start has not arrived yet sorts by its end until it does.
    .orderBy(sql`coalesce(${tasks.startSeq}, ${tasks.endSeq})`, asc(tasks.id));
  return { run, tasks: rows.map(toTaskView) };
}
