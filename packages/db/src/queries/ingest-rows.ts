/**
 * The raw-SQL writes of ingestion. Each takes its rows as one JSON parameter
 * (`json_to_recordset`): building a statement of thousands of bind parameters cost
 * the driver more than Postgres took to run it. On Citus each is an INSERT … SELECT
 * from a function, which the coordinator runs and routes row by row to the shards
 * (ON CONFLICT and RETURNING included); no statement joins a distributed table.
 */
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import type { NewTaskRow } from "../schema.js";
import type { IngestEvent } from "./ingest.js";

/**
 * A Postgres `text[]` literal, sent as one parameter (`= any($n::text[])`): the same on
 * both drivers, and Citus prunes shards on `run_id = any(…)` of a parameter.
 */
export function textArray(values: Iterable<string>): string {
  const parts: string[] = [];
  for (const v of values) parts.push(`"${v.replace(/[\\"]/g, "\\$&")}"`);
  return `{${parts.join(",")}}`;
}

/** Appends events, a repeated (run, id) being a no-op; returns the keys of the ones stored now. */
export async function insertEvents(tx: Db, projectId: string, events: IngestEvent[]): Promise<{ run_id: string; id: string }[]> {
  if (events.length === 0) return [];
  const records = events.map((e) => ({ run_id: e.runId, id: e.id, seq: e.seq, type: e.type, task_id: e.taskId, ts: e.ts, payload: e.payload }));
  return selectRows<{ run_id: string; id: string }>(
    tx,
    sql`insert into events (project_id, run_id, id, seq, type, task_id, ts, payload)
        select ${projectId}, x.run_id, x.id, x.seq, x.type, x.task_id, x.ts, x.payload
        from jsonb_to_recordset(${JSON.stringify(records)}::jsonb)
          as x(run_id text, id text, seq bigint, type text, task_id text, ts timestamptz, payload jsonb)
        on conflict do nothing
        returning run_id, id`,
  );
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
const insertTasksSql = sql.raw(`insert into tasks (project_id, ${taskNames}, updated_at) select `);
const fromTasksJson = sql.raw(`, ${taskNames}, now() from jsonb_to_recordset(`);
const asTaskRecord = sql.raw(`::jsonb) as x(${taskRecord})`);
const onTaskConflict = sql.raw(` on conflict (project_id, run_id, id) do update set ${taskUpdates}, updated_at = now()`);

/** A task row as a record for json_to_recordset (keys are the column names). */
function taskRecordOf(r: NewTaskRow) {
  return {
    run_id: r.runId,
    id: r.id,
    parent_task_id: r.parentTaskId,
    name: r.name,
    status: r.status,
    input: r.input ?? null,
    output: r.output ?? null,
    error_message: r.errorMessage,
    error_stack: r.errorStack,
    status_message: r.statusMessage,
    progress: r.progress,
    input_tokens: r.inputTokens,
    output_tokens: r.outputTokens,
    cost_usd: r.costUsd,
    version: r.version,
    start_seq: r.startSeq,
    end_seq: r.endSeq,
    started_at: r.startedAt,
    ended_at: r.endedAt,
  };
}

/**
 * Writes task projections. `fresh` rows are tasks with no row yet (the caller holds
 * their runs' locks, so none can appear meanwhile): a plain INSERT, cheaper than an
 * upsert; the others replace their rows.
 */
export async function writeTasks(tx: Db, projectId: string, fresh: NewTaskRow[], existing: NewTaskRow[]): Promise<void> {
  const writes: Promise<unknown>[] = [];
  if (fresh.length > 0) {
    writes.push(tx.execute(sql`${insertTasksSql}${projectId}${fromTasksJson}${JSON.stringify(fresh.map(taskRecordOf))}${asTaskRecord}`));
  }
  if (existing.length > 0) {
    writes.push(tx.execute(sql`${insertTasksSql}${projectId}${fromTasksJson}${JSON.stringify(existing.map(taskRecordOf))}${asTaskRecord}${onTaskConflict}`));
  }
  await Promise.all(writes);
}
