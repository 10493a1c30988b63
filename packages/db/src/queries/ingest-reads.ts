/**
 * The reads of ingestion, all filtered by the distribution column with one array
 * parameter (`run_id = any($n::text[])`, plus `id`/`task_id = any(…)`): Citus routes
 * them to the shards of those runs, and Postgres walks an index per pair. Two arrays
 * select every (run, id) combination of them, a superset the callers narrow to the
 * pairs they asked for (a batch rarely holds more than a few runs).
 */
import type { Db } from "../client.js";
import type { ProjectableEvent } from "../projection.js";
import type { TaskStatus } from "../schema.js";
import { runStatement, textArray } from "./statement.js";

/** An events row from raw SQL: drivers differ in how they hand back bigint, timestamptz and jsonb. */
export interface EventRowRaw {
  run_id: string;
  task_id: string | null;
  id: string;
  seq: number | string;
  type: string;
  ts: Date | string;
  payload: Record<string, unknown> | string;
}

export type StoredEvent = ProjectableEvent & { runId: string; taskId: string | null };

export const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toProjectable(r: EventRowRaw): StoredEvent {
  return {
    runId: r.run_id,
    taskId: r.task_id,
    id: r.id,
    seq: Number(r.seq),
    type: r.type,
    ts: r.ts instanceof Date ? r.ts : new Date(r.ts),
    payload: typeof r.payload === "string" ? (JSON.parse(r.payload) as Record<string, unknown>) : r.payload,
  };
}

/** What a task's stored row says before the batch: whether it exists, and what its counters hold. */
export interface StoredTask {
  runId: string;
  id: string;
  status: TaskStatus;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

const TASK_ROWS = `select run_id, id, status, input_tokens, output_tokens, cost_usd from tasks
  where project_id = $1 and run_id = any($2::text[]) and id = any($3::text[])`;

/** The stored rows among `runIds` × `taskIds` (primary-key lookups). */
export async function readTaskRows(tx: Db, projectId: string, runIds: string[], taskIds: string[]): Promise<StoredTask[]> {
  const rows = await runStatement<{ run_id: string; id: string; status: TaskStatus; input_tokens: unknown; output_tokens: unknown; cost_usd: unknown }>(
    tx,
    TASK_ROWS,
    [projectId, textArray(runIds), textArray(taskIds)],
  );
  return rows.map((t) => ({
    runId: t.run_id,
    id: t.id,
    status: t.status,
    inputTokens: numberOrNull(t.input_tokens),
    outputTokens: numberOrNull(t.output_tokens),
    costUsd: numberOrNull(t.cost_usd),
  }));
}

/** Events that decide a task's start and end: a handful per task, through `events_task_idx`. */
const TASK_DECIDERS = `select run_id, task_id, id, seq, type, ts, payload from events
  where project_id = $1 and run_id = any($2::text[]) and task_id = any($3::text[])
    and type in ('task.start', 'task.complete', 'task.fail', 'task.skip', 'task.cancel')`;
const LATEST_UPDATES = `select t.run_id, t.id as task_id, u.id, u.seq, u.type, u.ts, u.payload
  from tasks t cross join lateral (
    select e.id, e.seq, e.type, e.ts, e.payload from events e
    where e.project_id = t.project_id and e.run_id = t.run_id and e.run_id = any($2::text[]) and e.task_id = t.id and e.type = 'task.update'
    order by e.seq desc fetch first 1 rows with ties) u
  where t.project_id = $1 and t.run_id = any($2::text[]) and t.id = any($3::text[])`;

/**
 * What the projection of tasks that already have rows needs from their stored events:
 * every start and terminal event, and only the latest `task.update` (a task may send
 * thousands). The latest update is found from the task's own row, a lateral lookup
 * joined on the distribution column, which Citus pushes down to the shards of the runs
 * (the repeated `e.run_id = any(…)` is what lets it prune the others); `with ties` keeps
 * updates sharing the top seq, so the reducer breaks the tie as it always does.
 */
export async function readTaskEvents(tx: Db, projectId: string, runIds: string[], taskIds: string[]): Promise<StoredEvent[]> {
  const params = [projectId, textArray(runIds), textArray(taskIds)];
  const [deciders, updates] = await Promise.all([
    runStatement<EventRowRaw>(tx, TASK_DECIDERS, params),
    runStatement<EventRowRaw>(tx, LATEST_UPDATES, params),
  ]);
  return [...deciders, ...updates].map(toProjectable);
}

const RUN_EVENTS = `select run_id, task_id, id, seq, type, ts, payload from events
  where project_id = $1 and run_id = any($2::text[]) and task_id is null and type <> 'run.log'`;

/**
 * The runs' own events (start, terminal, and the server's cancel or timeout; logs
 * excluded): a handful per run, however many tasks it has.
 */
export async function readRunEvents(tx: Db, projectId: string, runIds: string[]): Promise<StoredEvent[]> {
  return (await runStatement<EventRowRaw>(tx, RUN_EVENTS, [projectId, textArray(runIds)])).map(toProjectable);
}
