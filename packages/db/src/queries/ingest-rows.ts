/**
 * The raw-SQL writes of ingestion. Each takes its rows as one JSON parameter
 * (`jsonb_to_recordset`): building a statement of thousands of bind parameters cost
 * the driver more than Postgres took to run it. On Citus each is an INSERT … SELECT
 * from a function, which the coordinator runs and routes row by row to the shards
 * (ON CONFLICT and RETURNING included); no statement joins a distributed table.
 */
import type { Db } from "../client.js";
import type { NewTaskRow } from "../schema.js";
import type { IngestEvent } from "./ingest-event.js";
import { runStatement } from "./statement.js";

/**
 * One row back, not one per event: how many were stored, and which, only when some were
 * not (retries). Parsing a row per stored event cost the server more than Postgres took
 * to aggregate them. Citus runs the INSERT … SELECT as usual and the count on the
 * coordinator over its RETURNING rows.
 */
const INSERT_EVENTS = `with stored as (
    insert into events (project_id, run_id, id, seq, type, task_id, ts, payload)
    select $1, x.run_id, x.id, x.seq, x.type, x.task_id, x.ts, x.payload
    from jsonb_to_recordset($2::jsonb) as x(run_id text, id text, seq bigint, type text, task_id text, ts timestamptz, payload jsonb)
    on conflict do nothing
    returning run_id, id)
  select count(*)::int as n, case when count(*) < $3::int then jsonb_agg(jsonb_build_array(run_id, id)) end as keys from stored`;

/**
 * Appends events, a repeated (run, id) being a no-op. Returns the keys of the ones
 * stored now, or "all" when every one was.
 */
export async function insertEvents(tx: Db, projectId: string, events: IngestEvent[]): Promise<"all" | [string, string][]> {
  if (events.length === 0) return "all";
  // toISOString here rather than Date#toJSON inside JSON.stringify: half the cost of serialising a batch.
  const records = events.map((e) => ({ run_id: e.runId, id: e.id, seq: e.seq, type: e.type, task_id: e.taskId, ts: e.ts.toISOString(), payload: e.payload }));
  const [row] = await runStatement<{ n: number; keys: string | [string, string][] | null }>(tx, INSERT_EVENTS, [projectId, JSON.stringify(records), events.length]);
  if (!row || row.n === events.length) return "all";
  if (row.keys === null) return [];
  return typeof row.keys === "string" ? (JSON.parse(row.keys) as [string, string][]) : row.keys;
}

const TASK_COLUMNS = [
  ["run_id", "text"],
  ["id", "text"],
  ["parent_task_id", "text"],
  ["name", "text"],
  ["status", "text"],
  ["input", "jsonb"],
  ["output", "jsonb"],
  ["error_message", "text"],
  ["error_stack", "text"],
  ["status_message", "text"],
  ["progress", "double precision"],
  ["input_tokens", "bigint"],
  ["output_tokens", "bigint"],
  ["cost_usd", "double precision"],
  ["version", "bigint"],
  ["start_seq", "bigint"],
  ["end_seq", "bigint"],
  ["started_at", "timestamptz"],
  ["ended_at", "timestamptz"],
] as const;
const taskNames = TASK_COLUMNS.map(([c]) => c).join(", ");
const taskRecord = TASK_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ");
const taskUpdates = TASK_COLUMNS.filter(([c]) => c !== "run_id" && c !== "id")
  .map(([c]) => `${c} = excluded.${c}`)
  .join(", ");
const INSERT_TASKS = `insert into tasks (project_id, ${taskNames}, updated_at)
  select $1, ${taskNames}, now() from jsonb_to_recordset($2::jsonb) as x(${taskRecord})`;
// updated_at from the inserted row's now(): Citus refuses now() itself in DO UPDATE SET.
const UPSERT_TASKS = `${INSERT_TASKS} on conflict (project_id, run_id, id) do update set ${taskUpdates}, updated_at = excluded.updated_at`;

/**
 * A task row as a record for jsonb_to_recordset (keys are the column names). Null
 * fields are left out (`undefined` is not serialised; a missing key reads as null):
 * most tasks have no parent, error or progress, and a smaller parameter is less to send
 * and parse.
 */
function taskRecordOf(r: NewTaskRow) {
  const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);
  return {
    run_id: r.runId,
    id: r.id,
    parent_task_id: opt(r.parentTaskId),
    name: r.name,
    status: r.status,
    input: opt(r.input),
    output: opt(r.output),
    error_message: opt(r.errorMessage),
    error_stack: opt(r.errorStack),
    status_message: opt(r.statusMessage),
    progress: opt(r.progress),
    input_tokens: opt(r.inputTokens),
    output_tokens: opt(r.outputTokens),
    cost_usd: opt(r.costUsd),
    version: r.version,
    start_seq: opt(r.startSeq),
    end_seq: opt(r.endSeq),
    started_at: r.startedAt?.toISOString(),
    ended_at: r.endedAt?.toISOString(),
  };
}

/**
 * Writes task projections. `fresh` rows are tasks with no row yet (the caller holds
 * their runs' locks, so none can appear meanwhile): a plain INSERT, cheaper than an
 * upsert; the others replace their rows.
 */
export async function writeTasks(tx: Db, projectId: string, fresh: NewTaskRow[], existing: NewTaskRow[]): Promise<void> {
  await Promise.all([
    fresh.length > 0 && runStatement(tx, INSERT_TASKS, [projectId, JSON.stringify(fresh.map(taskRecordOf))]),
    existing.length > 0 && runStatement(tx, UPSERT_TASKS, [projectId, JSON.stringify(existing.map(taskRecordOf))]),
  ]);
}
