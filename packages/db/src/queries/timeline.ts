import { sql, type SQL } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import type { TaskStatus } from "../schema.js";
import { getRunOnly } from "./runs.js";
import { ERROR_MESSAGE_PREVIEW, type RunView } from "./views.js";

/**
 * A task as the run page's timeline loads it: no payloads, the head of the error
 * message, and every number a JS number (times in epoch milliseconds). Rows of this
 * shape come straight from the driver, with no Date or ISO string made per task: a run
 * has up to 100,000 of them and the page encodes them compactly for the browser.
 */
export interface TimelineTask {
  id: string;
  parentTaskId: string | null;
  name: string;
  status: TaskStatus;
  errorMessage: string | null;
  statusMessage: string | null;
  progress: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  version: number;
  /** seq of the task's start (its timeline position); null until the start arrives. */
  seq: number | null;
  startMs: number | null;
  endMs: number | null;
}

export interface TimelinePage {
  /** In timeline order: by seq, then id; tasks without a start last, by id. */
  tasks: TimelineTask[];
  /** Cursor for the tasks after these; null when there are none. */
  next: string | null;
}

export class InvalidTimelineCursorError extends Error {
  readonly code = "invalid_cursor";
}

/** Keyset position: the last task's (seq, id); seq null = among the tasks without a start. */
interface Position {
  seq: number | null;
  id: string;
}

function encodePosition(p: Position): string {
  return Buffer.from(JSON.stringify([p.seq, p.id])).toString("base64url");
}

function decodePosition(cursor: string): Position {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === "string" && (v[0] === null || Number.isSafeInteger(v[0]))) {
      return { seq: v[0] as number | null, id: v[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidTimelineCursorError("after: not a cursor this server returned");
}

// bigints as float8 and times as epoch ms: postgres.js answers int8 as strings and PGlite
// as bigints, and a Date per timestamp is what made the old full read slow in JS.
const ms = (col: string) => sql.raw(`floor(extract(epoch from ${col}) * 1000)::float8`);
const columns = sql`id, parent_task_id, name, status, left(error_message, ${sql.raw(String(ERROR_MESSAGE_PREVIEW))}) as error_message,
  status_message, progress, input_tokens::float8 as input_tokens, output_tokens::float8 as output_tokens, cost_usd,
  version::float8 as version, start_seq::float8 as seq, ${ms("started_at")} as start_ms, ${ms("ended_at")} as end_ms`;

interface Row {
  id: string;
  parent_task_id: string | null;
  name: string;
  status: TaskStatus;
  error_message: string | null;
  status_message: string | null;
  progress: number | null;
  input_tokens: number | null;
  output_tokens: number | null;
  cost_usd: number | null;
  version: number;
  seq: number | null;
  start_ms: number | null;
  end_ms: number | null;
}

const toTask = (r: Row): TimelineTask => ({
  id: r.id,
  parentTaskId: r.parent_task_id,
  name: r.name,
  status: r.status,
  errorMessage: r.error_message,
  statusMessage: r.status_message,
  progress: r.progress,
  inputTokens: r.input_tokens,
  outputTokens: r.output_tokens,
  costUsd: r.cost_usd,
  version: r.version,
  seq: r.seq,
  startMs: r.start_ms,
  endMs: r.end_ms,
});

const select = async (db: Db, where: SQL, tail: SQL) =>
  (await selectRows<Row>(db, sql`select ${columns} from tasks where ${where} ${tail}`)).map(toTask);

/**
 * One page of a run's tasks in timeline order, after `after` (a cursor from the previous
 * page). Each statement is a range of tasks_timeline_idx `(project_id, run_id,
 * start_seq)`, so a page costs its own rows wherever it lies in the run, and paging
 * through 100,000 tasks never sorts them all. Tasks whose start has not arrived come
 * last, by id (a second, usually empty, range of the same index).
 */
export async function listTimelineTasks(db: Db, projectId: string, runId: string, opts: { after?: string | undefined; limit: number }): Promise<TimelinePage> {
  const limit = opts.limit;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit: must be an integer >= 1, got ${limit}`);
  const at = opts.after === undefined ? null : decodePosition(opts.after);
  const run = sql`project_id = ${projectId} and run_id = ${runId}`;
  let tasks: TimelineTask[] = [];
  if (!at || at.seq !== null) {
    const from = at ? sql`start_seq >= ${at.seq} and (start_seq > ${at.seq} or id > ${at.id})` : sql`start_seq is not null`;
    tasks = await select(db, sql`${run} and ${from}`, sql`order by start_seq, id limit ${limit + 1}`);
  }
  if (tasks.length <= limit) {
    const from = at?.seq === null ? sql`and id > ${at.id}` : sql``;
    const unstarted = await select(db, sql`${run} and start_seq is null ${from}`, sql`order by id limit ${limit + 1 - tasks.length}`);
    tasks = tasks.concat(unstarted);
  }
  const page = tasks.slice(0, limit);
  const last = page[page.length - 1];
  return { tasks: page, next: tasks.length > limit && last ? encodePosition({ seq: last.seq, id: last.id }) : null };
}

/** Sizes of the pages readTimeline reads: small first, so the next screen comes soon, then larger. */
export const TIMELINE_PAGE_FIRST = 2_000;
export const TIMELINE_PAGE_MAX = 25_000;

/**
 * Every page of a run's timeline from `after` to its end, each twice the size of the
 * one before (TIMELINE_PAGE_FIRST up to TIMELINE_PAGE_MAX): a client showing them as
 * they arrive gets the next screen soon and redraws a 100,000-task run a handful of
 * times, not fifty. Reads lazily: a page is read when the previous one is consumed.
 */
export async function* readTimeline(
  db: Db,
  projectId: string,
  runId: string,
  opts: { after?: string | undefined; first?: number; max?: number } = {},
): AsyncGenerator<TimelinePage> {
  const max = opts.max ?? TIMELINE_PAGE_MAX;
  let limit = Math.min(opts.first ?? TIMELINE_PAGE_FIRST, max);
  let after = opts.after;
  for (;;) {
    const page = await listTimelineTasks(db, projectId, runId, { after, limit });
    yield page;
    if (page.next === null) return;
    after = page.next;
    limit = Math.min(limit * 2, max);
  }
}

/** One task in the timeline's shape, or null when the run has no such task. */
export async function getTimelineTask(db: Db, projectId: string, runId: string, taskId: string): Promise<TimelineTask | null> {
  const [task] = await select(db, sql`project_id = ${projectId} and run_id = ${runId} and id = ${taskId}`, sql``);
  return task ?? null;
}

/** The run's first failed task in timeline order (tasks_failed_idx), or null. */
export async function getFirstFailedTask(db: Db, projectId: string, runId: string): Promise<TimelineTask | null> {
  const [task] = await select(db, sql`project_id = ${projectId} and run_id = ${runId} and status = 'failed'`, sql`order by start_seq, id limit 1`);
  return task ?? null;
}

export interface RunTimelineHead extends TimelinePage {
  run: RunView;
  /**
   * Tasks the page needs at once that lie beyond the first page: the first failed
   * task (the failure banner names it) and the task a link asked for.
   */
  pinned: TimelineTask[];
}

/**
 * What the run page renders before anything else arrives: the run, the first `limit`
 * tasks of its timeline, and the pinned tasks (see RunTimelineHead). The rest of a big
 * run is read with listTimelineTasks from `next`. Null when the project has no such run.
 */
export async function getRunTimeline(
  db: Db,
  projectId: string,
  runId: string,
  opts: { limit: number; taskId?: string | null | undefined },
): Promise<RunTimelineHead | null> {
  const run = await getRunOnly(db, projectId, runId);
  if (!run) return null;
  const page = await listTimelineTasks(db, projectId, runId, { limit: opts.limit });
  if (page.next === null) return { run, ...page, pinned: [] };
  const has = (pred: (t: TimelineTask) => boolean) => page.tasks.some(pred);
  const [failed, linked] = await Promise.all([
    run.taskCounts.failed > 0 && !has((t) => t.status === "failed") ? getFirstFailedTask(db, projectId, runId) : null,
    opts.taskId && !has((t) => t.id === opts.taskId) ? getTimelineTask(db, projectId, runId, opts.taskId) : null,
  ]);
  const pinned = [failed, linked].filter((t): t is TimelineTask => t !== null);
  if (failed && linked && failed.id === linked.id) pinned.pop();
  return { run, ...page, pinned };
}
