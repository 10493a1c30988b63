import { sql, type SQL } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import type { TaskStatus } from "../schema.js";
import { getRunOnly, storableId } from "./runs.js";
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
    if (Array.isArray(v) && v.length === 2 && storableId(v[1]) && (v[0] === null || Number.isSafeInteger(v[0]))) {
      return { seq: v[0] as number | null, id: v[1] };
    }
  } catch {
    // fall through to the typed error
  }
  throw new InvalidTimelineCursorError("after: not a cursor this server returned");
}

/** One task as the statement's JSON has it: the TimelineTask fields, in this order. */
type Tuple = [
  id: string,
  parentTaskId: string | null,
  name: string,
  status: TaskStatus,
  errorMessage: string | null,
  statusMessage: string | null,
  progress: number | null,
  inputTokens: number | null,
  outputTokens: number | null,
  costUsd: number | null,
  version: number,
  seq: number | null,
  startMs: number | null,
  endMs: number | null,
];

const toTask = (t: Tuple): TimelineTask => ({
  id: t[0],
  parentTaskId: t[1],
  name: t[2],
  status: t[3],
  errorMessage: t[4],
  statusMessage: t[5],
  progress: t[6],
  inputTokens: t[7],
  outputTokens: t[8],
  costUsd: t[9],
  version: t[10],
  seq: t[11],
  startMs: t[12],
  endMs: t[13],
});

const inner = sql.raw(`id, parent_task_id, name, status, left(error_message, ${ERROR_MESSAGE_PREVIEW}) as error_message, status_message,
  progress, input_tokens, output_tokens, cost_usd, version, start_seq, started_at, ended_at`);
// Times as epoch ms, bigints as JSON numbers (seqs stay below 2^53).
const tuple = sql.raw(`json_build_array(id, parent_task_id, name, status, error_message, status_message, progress, input_tokens,
  output_tokens, cost_usd, version, start_seq, floor(extract(epoch from started_at) * 1000), floor(extract(epoch from ended_at) * 1000))`);

/**
 * The tasks matching `where`, first `limit` in `order`, as one JSON text the driver
 * hands over whole and JSON.parse reads natively. Row by row, the drivers build each
 * field of each row in JS (and a Date per timestamp): for 25,000 tasks that took PGlite
 * 2 to 4 times as long, Postgres about the same.
 */
async function select(db: Db, where: SQL, order: SQL, limit: number): Promise<TimelineTask[]> {
  const [row] = await selectRows<{ page: string | null }>(
    db,
    sql`select json_agg(${tuple} order by ${order})::text as page
        from (select ${inner} from tasks where ${where} order by ${order} limit ${limit}) t`,
  );
  return row?.page ? (JSON.parse(row.page) as Tuple[]).map(toTask) : [];
}

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
    tasks = await select(db, sql`${run} and ${from}`, sql`start_seq, id`, limit + 1);
  }
  if (tasks.length <= limit) {
    const from = at?.seq === null ? sql`and id > ${at.id}` : sql``;
    const unstarted = await select(db, sql`${run} and start_seq is null ${from}`, sql`id`, limit + 1 - tasks.length);
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
  const [task] = await select(db, sql`project_id = ${projectId} and run_id = ${runId} and id = ${taskId}`, sql`id`, 1);
  return task ?? null;
}

/** Tasks that fail at the same moment, pinned together (a group and its child often do). */
const FIRST_FAILURES_MAX = 20;

/**
 * The run's failed tasks that ended first (all that share the earliest end, at most
 * FIRST_FAILURES_MAX), in timeline order, from tasks_failed_idx: the failure banner
 * names the first to fail, and picks among those that failed together itself.
 */
export async function getFirstFailures(db: Db, projectId: string, runId: string): Promise<TimelineTask[]> {
  const run = sql`project_id = ${projectId} and run_id = ${runId} and status = 'failed'`;
  const first = sql`(select min(ended_at) from tasks where ${run})`;
  return select(db, sql`${run} and ended_at = ${first}`, sql`start_seq, id`, FIRST_FAILURES_MAX);
}

export interface RunTimelineHead extends TimelinePage {
  run: RunView;
  /**
   * Tasks the page needs at once that lie beyond the first page: the first to fail
   * (the failure banner names one of them) and the task a link asked for.
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
  const held = new Set(page.tasks.map((t) => t.id));
  const [failed, linked] = await Promise.all([
    run.taskCounts.failed > 0 ? getFirstFailures(db, projectId, runId) : [],
    opts.taskId && !held.has(opts.taskId) ? getTimelineTask(db, projectId, runId, opts.taskId) : null,
  ]);
  const pinned: TimelineTask[] = [];
  for (const t of linked ? [...failed, linked] : failed) {
    if (!held.has(t.id)) pinned.push(t);
    held.add(t.id);
  }
  return { run, ...page, pinned };
}
