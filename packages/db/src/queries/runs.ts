import { and, arrayContains, asc, desc, eq, gte, inArray, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { type RunStatus, runs, tasks } from "../schema.js";
import { type RunSummaryView, type RunView, summaryColumns, type TaskView, toRunSummaryView, toRunView, toTaskView } from "./views.js";

export interface RunFilter {
  status?: RunStatus | undefined;
  /** Exact run name. */
  name?: string | undefined;
  /** Name search: runs whose name starts with this, ignoring case (see nameStartsWith). */
  q?: string | undefined;
  tag?: string | undefined;
  /** Runs started by this run (their run.start named it as parentRunId). */
  parentRunId?: string | undefined;
  /** Runs started at or after this time. */
  from?: Date | undefined;
  /** Runs started before this time. */
  to?: Date | undefined;
  /** 1..200, default 50. */
  limit?: number | undefined;
  /** Opaque cursor from a previous page's nextCursor: the page of runs older than it. */
  cursor?: string | undefined;
  /** Opaque cursor from a previous page's prevCursor: the page of runs newer than it. */
  before?: string | undefined;
}

export interface RunPage {
  data: RunSummaryView[];
  /** Cursor for the next older page; null on the last page. */
  nextCursor: string | null;
  /** Cursor (`before`) for the next newer page; null on the first page. */
  prevCursor: string | null;
}

export class InvalidCursorError extends Error {
  readonly code = "invalid_cursor";
  constructor(
    message: string,
    readonly field: "cursor" | "before" = "cursor",
  ) {
    super(message);
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A string Postgres can compare with stored ids: no NUL, no lone surrogate (a crafted cursor may hold either). */
export function storableId(value: unknown): value is string {
  return typeof value === "string" && !value.includes("\u0000") && !LONE_SURROGATE.test(value);
}

/** Keyset cursor over (startedAt desc, id desc): stable under concurrent inserts. */
export function encodeCursor(startedAt: string, id: string): string {
  return Buffer.from(JSON.stringify([startedAt, id])).toString("base64url");
}

export function decodeCursor(cursor: string, field: "cursor" | "before" = "cursor"): { startedAt: Date; id: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "string" && storableId(parsed[1])) {
      const startedAt = new Date(parsed[0]);
      // Postgres refuses year 0 and earlier; every stored time is within 0001..9999.
      const year = startedAt.getUTCFullYear();
      if (year >= 1 && year <= 9999) return { startedAt, id: parsed[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidCursorError(`${field}: not a cursor this API returned`, field);
}

/**
 * Case-insensitive prefix match that runs_name_prefix_idx serves as an index range.
 * Byte-wise (text_pattern_ops) order is code-point order, so every name starting with
 * p lies in [p, p || U+10FFFF): the only misses are names where U+10FFFF (a
 * noncharacter) itself follows the prefix. Both bounds are lowered by the database,
 * so the two sides always agree on what lower case is.
 */
function nameStartsWith(prefix: string): SQL {
  const lowered = sql`lower(${runs.name})`;
  return sql`(${lowered} ~>=~ lower(${prefix}::text) and ${lowered} ~<~ (lower(${prefix}::text) || chr(1114111)))`;
}

/** The filter's conditions other than status and the page position (shared with the status counts). */
export function runConditions(projectId: string, filter: Omit<RunFilter, "status" | "cursor" | "before" | "limit">): SQL[] {
  const where: SQL[] = [eq(runs.projectId, projectId)];
  if (filter.name) where.push(eq(runs.name, filter.name));
  if (filter.q) where.push(nameStartsWith(filter.q));
  if (filter.tag) where.push(arrayContains(runs.tags, [filter.tag]));
  if (filter.parentRunId) where.push(eq(runs.parentRunId, filter.parentRunId));
  if (filter.from) where.push(gte(runs.startedAt, filter.from));
  if (filter.to) where.push(lt(runs.startedAt, filter.to));
  return where;
}

const keyOf = (r: RunSummaryView) => encodeCursor(r.startedAt, r.id);

/**
 * Newest runs first, one page at a time. `cursor` pages towards older runs, `before`
 * towards newer ones (the index walked backwards); a `before` that reaches the newest
 * runs answers the first page itself, so "newer" never ends on a short page.
 */
export async function listRuns(db: Db, projectId: string, filter: RunFilter = {}): Promise<RunPage> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 200);
  const where = runConditions(projectId, filter);
  if (filter.status) where.push(eq(runs.status, filter.status));
  const page = (extra: SQL[], newerFirst: boolean) =>
    db
      .select(summaryColumns)
      .from(runs)
      .where(and(...where, ...extra))
      .orderBy(...(newerFirst ? [desc(runs.startedAt), desc(runs.id)] : [asc(runs.startedAt), asc(runs.id)]))
      .limit(limit + 1);

  if (filter.before) {
    const c = decodeCursor(filter.before, "before");
    const rows = await page([sql`(${runs.startedAt}, ${runs.id}) > (${c.startedAt.toISOString()}::timestamptz, ${c.id})`], false);
    if (rows.length > limit) {
      const data = rows.slice(0, limit).reverse().map(toRunSummaryView);
      const [first] = data;
      const last = data[data.length - 1];
      return { data, nextCursor: last ? keyOf(last) : null, prevCursor: first ? keyOf(first) : null };
    }
    return listRuns(db, projectId, { ...filter, before: undefined, cursor: undefined });
  }

  const extra: SQL[] = [];
  if (filter.cursor) {
    const c = decodeCursor(filter.cursor);
    extra.push(sql`(${runs.startedAt}, ${runs.id}) < (${c.startedAt.toISOString()}::timestamptz, ${c.id})`);
  }
  const rows = await page(extra, true);
  const data = rows.slice(0, limit).map(toRunSummaryView);
  const [first] = data;
  const last = data[data.length - 1];
  return {
    data,
    nextCursor: rows.length > limit && last ? keyOf(last) : null,
    // Past a cursor there were newer runs: at least the one the cursor names.
    prevCursor: filter.cursor ? (first ? keyOf(first) : filter.cursor) : null,
  };
}

/** A run, or null when the project has no such run. */
export async function getRunOnly(db: Db, projectId: string, runId: string): Promise<RunView | null> {
  const [run] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  return run ? toRunView(run) : null;
}

/**
 * Which of `projectIds` holds a run with this id: the first in the order given, or null.
 * For a run link opened while the dashboard shows another project.
 */
export async function findRunProject(db: Db, runId: string, projectIds: readonly string[]): Promise<string | null> {
  if (projectIds.length === 0) return null;
  const rows = await db
    .select({ projectId: runs.projectId })
    .from(runs)
    .where(and(inArray(runs.projectId, [...projectIds]), eq(runs.id, runId)));
  const holding = new Set(rows.map((r) => r.projectId));
  return projectIds.find((p) => holding.has(p)) ?? null;
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
