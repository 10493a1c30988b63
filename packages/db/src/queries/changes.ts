import { and, eq, sql, type SQL } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { runs } from "../schema.js";
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

/**
 * Bytes of text a page of changes may hold (payloads, names, messages, as stored). A
 * live stream reads a page only when its reader took the previous one, so it holds
 * about one page whatever the run's size; this bounds the page however large the tasks.
 * Under 128 KiB, V8's large-object size, so a page's strings die young: in the
 * slow-readers test (20 paused readers and a full reader of a 35 MB run) 256 KiB pages
 * grew the server by 82 MB on Postgres and 57 MB on PGlite, 64 KiB pages by 71 and 26 MB.
 */
export const CHANGE_PAGE_BYTES = 64 * 1024;

/** One page of changed tasks: a JSON array of task views, as the statement made it. */
export interface ChangePage {
  json: string;
  count: number;
}

export interface ChangePages<R> {
  run: R;
  /** Tasks changed after `since`, up to the run's version, page by page, read when asked for. */
  pages: AsyncGenerator<ChangePage>;
}

export interface ReadChangesOptions {
  /** true: whole tasks (TaskView); false: summaries (TaskSummaryView). */
  payloads: boolean;
  /** Most tasks a page (default 500 whole, 1,000 summaries). */
  maxTasks?: number;
  /** Most bytes of text a page, or one task when it alone is larger (default CHANGE_PAGE_BYTES). */
  maxBytes?: number;
}

/**
 * What changed in a run since `since`: the run now, and the tasks whose version is in
 * (since, run.version] as pages of JSON text, each made whole by Postgres (no object per
 * task in this process), read lazily in keyset pages bounded by count and bytes. With
 * `payloads: false` the run and its tasks are summaries: what the run page draws, with no
 * input, output, metadata or error stack and a task's error message cut to
 * ERROR_MESSAGE_PREVIEW characters, so pages carry many more tasks for the bytes.
 */
export async function readRunChanges(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  options: ReadChangesOptions & { payloads: true },
): Promise<ChangePages<RunView> | null>;
export async function readRunChanges(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  options: ReadChangesOptions & { payloads: false },
): Promise<ChangePages<RunSummaryView> | null>;
export async function readRunChanges(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  options: ReadChangesOptions,
): Promise<ChangePages<RunView | RunSummaryView> | null> {
  const where = and(eq(runs.projectId, projectId), eq(runs.id, runId));
  let run: RunView | RunSummaryView;
  if (options.payloads) {
    const [row] = await db.select().from(runs).where(where);
    if (!row) return null;
    run = toRunView(row);
  } else {
    const [row] = await db.select(summaryColumns).from(runs).where(where);
    if (!row) return null;
    run = toRunSummaryView(row);
  }
  const shape = options.payloads ? FULL : SUMMARY;
  const maxTasks = options.maxTasks ?? (options.payloads ? 500 : 1000);
  return { run, pages: readPages(db, projectId, runId, since, run.version, shape, maxTasks, options.maxBytes ?? CHANGE_PAGE_BYTES) };
}

export interface RunChanges<R = RunView, T = TaskView> {
  run: R;
  chunks: AsyncGenerator<T[]>;
}

/** readRunChanges of whole tasks, each page parsed. */
export async function getRunChanges(db: Db, projectId: string, runId: string, since: number, maxTasks?: number, maxBytes?: number): Promise<RunChanges | null> {
  const changes = await readRunChanges(db, projectId, runId, since, { payloads: true, maxTasks, maxBytes });
  return changes && { run: changes.run, chunks: parsed<TaskView>(changes.pages) };
}

/** readRunChanges of summaries, each page parsed. */
export async function getRunChangeSummaries(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  maxTasks?: number,
  maxBytes?: number,
): Promise<RunChanges<RunSummaryView, TaskSummaryView> | null> {
  const changes = await readRunChanges(db, projectId, runId, since, { payloads: false, maxTasks, maxBytes });
  return changes && { run: changes.run, chunks: parsed<TaskSummaryView>(changes.pages) };
}

async function* parsed<T>(pages: AsyncGenerator<ChangePage>): AsyncGenerator<T[]> {
  for await (const page of pages) yield JSON.parse(page.json) as T[];
}

/** How one shape of task is read: its JSON object (toTaskView's keys, in its order) and its size. */
interface Shape {
  object: SQL;
  bytes: SQL;
}

// Times as toISOString writes them (milliseconds, truncated, UTC); durations from those.
const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const ms = (column: string) => `floor(extract(epoch from ${column}) * 1000)`;
const fields = (payloads: boolean) => `json_build_object(
  'id', id, 'runId', run_id, 'parentTaskId', parent_task_id, 'name', name, 'status', status,
  ${payloads ? "'input', input, 'output', output, 'errorMessage', error_message, 'errorStack', error_stack," : `'errorMessage', left(error_message, ${ERROR_MESSAGE_PREVIEW}),`}
  'statusMessage', status_message, 'progress', progress,
  'usage', case when input_tokens is null and output_tokens is null and cost_usd is null then null
    else json_build_object('inputTokens', coalesce(input_tokens, 0), 'outputTokens', coalesce(output_tokens, 0), 'costUsd', coalesce(cost_usd, 0)) end,
  'seq', start_seq, 'startedAt', ${iso("started_at")}, 'endedAt', ${iso("ended_at")},
  'durationMs', case when started_at is not null and ended_at is not null then greatest(0, ${ms("ended_at")} - ${ms("started_at")}) end,
  'version', version)`;
// The fixed fields as JSON, then the texts a task may have much of.
const BASE_BYTES = `400 + 2 * octet_length(id) + octet_length(run_id) + octet_length(name) + coalesce(octet_length(parent_task_id), 0)
  + coalesce(octet_length(status_message), 0)`;

const SUMMARY: Shape = {
  object: sql.raw(fields(false)),
  bytes: sql.raw(`${BASE_BYTES} + least(coalesce(octet_length(error_message), 0), ${ERROR_MESSAGE_PREVIEW * 4})`),
};

const FULL: Shape = {
  object: sql.raw(fields(true)),
  // jsonb keeps no size of its text: measure the text, which is what the page will carry.
  bytes: sql.raw(`${BASE_BYTES} + coalesce(octet_length(error_message), 0) + coalesce(octet_length(error_stack), 0)
    + coalesce(octet_length(input::text), 0) + coalesce(octet_length(output::text), 0)`),
};

/**
 * The changed tasks in (since, upTo] by (version, id), one statement a page: of the next
 * few tasks (the window), those whose running size stays within `maxBytes` (and the
 * first, however large), as one JSON array text. The window is about twice what the last
 * page held (up to `maxTasks`): sizing a payload costs Postgres its text, so it sizes few
 * more than it sends. Every statement is a range of tasks_version_idx (project_id,
 * run_id, version) and names the run, as a distributed plan needs.
 */
async function* readPages(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  upTo: number,
  shape: Shape,
  maxTasks: number,
  maxBytes: number,
): AsyncGenerator<ChangePage> {
  if (upTo <= since) return;
  let after: { version: number; id: string } | null = null;
  let window = Math.min(maxTasks, 64);
  for (;;) {
    const from: SQL = after ? sql`and version >= ${after.version} and (version > ${after.version} or id > ${after.id})` : sql``;
    const [row] = await selectRows<{ seen: number | string; count: number | string; last_version: number | string | null; last_id: string | null; page: string | null }>(
      db,
      sql`with w as (
            select *, ${shape.bytes} as bytes from tasks
            where project_id = ${projectId} and run_id = ${runId} and version > ${since} and version <= ${upTo} ${from}
            order by version, id limit ${window}
          ), s as (
            select *, sum(bytes) over (order by version, id rows between unbounded preceding and current row) as upto,
              row_number() over (order by version desc, id desc) as from_end
            from w
          ), p as (select * from s where upto <= ${maxBytes} or upto = bytes)
          select (select count(*) from w) as seen, count(*) as count,
            max(case when from_end = (select min(from_end) from p) then version end) as last_version,
            max(case when from_end = (select min(from_end) from p) then id end) as last_id,
            '[' || string_agg(${shape.object}::text, ',' order by version, id) || ']' as page
          from p`,
    );
    const count = Number(row?.count ?? 0);
    if (!row?.page || count === 0 || row.last_id === null || row.last_version === null) return;
    yield { json: row.page, count };
    const seen = Number(row.seen);
    if (seen < window && count === seen) return;
    after = { version: Number(row.last_version), id: row.last_id };
    window = Math.min(maxTasks, count < seen ? Math.max(16, count * 2) : window * 2);
  }
}
