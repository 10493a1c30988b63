import { and, eq, sql, type SQL } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { runs, type TaskStatus } from "../schema.js";
import {
  ERROR_MESSAGE_PREVIEW,
  type RunSummaryView,
  type RunView,
  summaryColumns,
  type TaskSummaryView,
  type TaskView,
  toRunSummaryView,
  toRunView,
} from "./views.js";

export interface RunChanges<R = RunView, T = TaskView> {
  run: R;
  /** Tasks changed after `since`, up to the run's version, page by page (read when asked for). */
  chunks: AsyncGenerator<T[]>;
}

/**
 * Bytes of text a page of changes may hold (payloads, names, messages, as stored). A
 * page is read only when the previous one was taken, so a live stream holds about one
 * page whatever the run's size; this bounds that page however large the tasks are.
 */
export const CHANGE_PAGE_BYTES = 512 * 1024;

/**
 * What changed in a run since `version`: the run now, and the tasks whose version is
 * in (since, run.version], whole (payloads included), read lazily in keyset pages of at
 * most `maxTasks` tasks and `maxBytes` bytes of text (or one task, when it alone is larger).
 */
export async function getRunChanges(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  maxTasks = 500,
  maxBytes = CHANGE_PAGE_BYTES,
): Promise<RunChanges | null> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  if (!row) return null;
  const run = toRunView(row);
  return { run, chunks: pages(db, projectId, runId, since, run.version, FULL, maxTasks, maxBytes) };
}

/**
 * getRunChanges without payloads: the run and its tasks as the run page draws them
 * (no input, output, metadata or error stack; a task's error message cut to
 * ERROR_MESSAGE_PREVIEW characters), so pages carry many more tasks for the bytes.
 */
export async function getRunChangeSummaries(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  maxTasks = 1000,
  maxBytes = CHANGE_PAGE_BYTES,
): Promise<RunChanges<RunSummaryView, TaskSummaryView> | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  if (!row) return null;
  const run = toRunSummaryView(row);
  return { run, chunks: pages(db, projectId, runId, since, run.version, SUMMARY, maxTasks, maxBytes) };
}

/** How one shape of task is read: its JSON tuple, its size, and the view made from the tuple. */
interface Shape<T> {
  tuple: SQL;
  bytes: SQL;
  view(t: unknown[], runId: string): T;
}

/** Fields both shapes share, first in each tuple (times as epoch ms, bigints as JSON numbers). */
const COMMON = `id, parent_task_id, name, status, status_message, progress, input_tokens, output_tokens, cost_usd, start_seq,
  floor(extract(epoch from started_at) * 1000), floor(extract(epoch from ended_at) * 1000), version`;
// Fixed fields as JSON, then the texts a task may have many of.
const BASE_BYTES = `128 + octet_length(id) + octet_length(name) + coalesce(octet_length(parent_task_id), 0) + coalesce(octet_length(status_message), 0)`;

const iso = (ms: unknown): string | null => (typeof ms === "number" ? new Date(ms).toISOString() : null);
const num = (v: unknown): number | null => (typeof v === "number" ? v : null);
const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/**
 * A task from its tuple, as toTaskView makes it from a row (the same keys in the same
 * order); `payloads` are the full shape's input, output and error stack.
 */
function taskOf(t: unknown[], runId: string, payloads?: { input: unknown; output: unknown; errorStack: string | null }): TaskSummaryView | TaskView {
  const [id, parentTaskId, name, status, statusMessage, progress, inputTokens, outputTokens, costUsd, seq, startMs, endMs, version, errorMessage] = t;
  const reported = inputTokens !== null || outputTokens !== null || costUsd !== null;
  return {
    id: String(id),
    runId,
    parentTaskId: str(parentTaskId),
    name: String(name),
    status: status as TaskStatus,
    ...(payloads && { input: payloads.input, output: payloads.output }),
    errorMessage: str(errorMessage),
    ...(payloads && { errorStack: payloads.errorStack }),
    statusMessage: str(statusMessage),
    progress: num(progress),
    usage: reported ? { inputTokens: num(inputTokens) ?? 0, outputTokens: num(outputTokens) ?? 0, costUsd: num(costUsd) ?? 0 } : null,
    seq: num(seq),
    startedAt: iso(startMs),
    endedAt: iso(endMs),
    durationMs: typeof startMs === "number" && typeof endMs === "number" ? Math.max(0, endMs - startMs) : null,
    version: Number(version),
  };
}

const SUMMARY: Shape<TaskSummaryView> = {
  tuple: sql.raw(`json_build_array(${COMMON}, left(error_message, ${ERROR_MESSAGE_PREVIEW}))`),
  bytes: sql.raw(`${BASE_BYTES} + least(coalesce(octet_length(error_message), 0), ${ERROR_MESSAGE_PREVIEW * 4})`),
  view: (t, runId) => taskOf(t, runId),
};

const FULL: Shape<TaskView> = {
  tuple: sql.raw(`json_build_array(${COMMON}, error_message, input, output, error_stack)`),
  // jsonb keeps no size of its text: measure the text, which is what the page will carry.
  bytes: sql.raw(`${BASE_BYTES} + coalesce(octet_length(error_message), 0) + coalesce(octet_length(error_stack), 0)
    + coalesce(octet_length(input::text), 0) + coalesce(octet_length(output::text), 0)`),
  view: (t, runId) => taskOf(t, runId, { input: t[14] ?? null, output: t[15] ?? null, errorStack: str(t[16]) }) as TaskView,
};

/**
 * The changed tasks in (since, upTo] by (version, id), one statement a page: the next
 * `maxTasks` tasks, of which it answers those whose running size stays within
 * `maxBytes` (and the first, however large). Every statement is a range of tasks_version_idx
 * (project_id, run_id, version) and names the run, as a distributed plan needs.
 */
async function* pages<T extends { id: string; version: number }>(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  upTo: number,
  shape: Shape<T>,
  maxTasks: number,
  maxBytes: number,
): AsyncGenerator<T[]> {
  if (upTo <= since) return;
  let after: { version: number; id: string } | null = null;
  for (;;) {
    const from: SQL = after ? sql`and version >= ${after.version} and (version > ${after.version} or id > ${after.id})` : sql``;
    const [row] = await selectRows<{ seen: number | string; page: string | null }>(
      db,
      sql`with w as (
            select *, ${shape.bytes} as bytes from tasks
            where project_id = ${projectId} and run_id = ${runId} and version > ${since} and version <= ${upTo} ${from}
            order by version, id limit ${maxTasks}
          ), s as (
            select *, sum(bytes) over (order by version, id rows between unbounded preceding and current row) as upto from w
          )
          select (select count(*) from w) as seen, json_agg(${shape.tuple} order by version, id)::text as page
          from s where upto <= ${maxBytes} or upto = bytes`,
    );
    const tuples: unknown[][] = row?.page ? (JSON.parse(row.page) as unknown[][]) : [];
    const page: T[] = tuples.map((t) => shape.view(t, runId));
    if (page.length > 0) yield page;
    const last: T | undefined = page[page.length - 1];
    if (!last || (Number(row?.seen) < maxTasks && page.length === Number(row?.seen))) return;
    after = { version: last.version, id: last.id };
  }
}
