/**
 * The raw-SQL side of ingestion: bulk statements that take one JSON parameter
 * (building a 1,600-parameter statement through the query builder cost more than
 * Postgres took to run it), and decoding of raw event rows, which the two drivers
 * hand back differently.
 */
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import type { ProjectableEvent } from "../projection.js";
import type { NewTaskRow } from "../schema.js";
import type { IngestEvent } from "./ingest.js";

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

export const numberOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toProjectable(r: EventRowRaw): ProjectableEvent & { runId: string; taskId: string | null } {
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

/** Appends events, a repeated (run, id) being a no-op; returns the ones stored now. */
export async function insertEvents(tx: Db, projectId: string, events: IngestEvent[]): Promise<{ runId: string; id: string }[]> {
  if (events.length === 0) return [];
  const rows = await selectRows<{ run_id: string; id: string }>(
    tx,
    sql`insert into events (project_id, run_id, id, seq, type, task_id, ts, payload)
        select ${projectId}, x.run_id, x.id, x.seq, x.type, x.task_id, x.ts, x.payload
        from json_to_recordset(${JSON.stringify(events.map(toWire))}::json)
          as x(run_id text, id text, seq bigint, type text, task_id text, ts timestamptz, payload jsonb)
        on conflict do nothing
        returning run_id, id`,
  );
  return rows.map((r) => ({ runId: r.run_id, id: r.id }));
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
  ["updated_at", "timestamptz"],
] as const;
const taskNames = TASK_COLUMNS.map(([c]) => c).join(", ");
const taskRecord = TASK_COLUMNS.map(([c, t]) => `${c} ${t}`).join(", ");
const taskUpdates = TASK_COLUMNS.filter(([c]) => c !== "run_id" && c !== "id")
  .map(([c]) => `${c} = excluded.${c}`)
  .join(", ");

/** Upserts task projections from one JSON parameter (see the events insert). */
export async function upsertTasks(tx: Db, projectId: string, rows: NewTaskRow[]): Promise<void> {
  const records = rows.map((r) => ({
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
    updated_at: r.updatedAt,
  }));
  await tx.execute(
    sql`insert into tasks (project_id, ${sql.raw(taskNames)})
        select ${projectId}, ${sql.raw(taskNames)} from json_to_recordset(${JSON.stringify(records)}::json) as x(${sql.raw(taskRecord)})
        on conflict (project_id, run_id, id) do update set ${sql.raw(taskUpdates)}`,
  );
}

/** An event as a JSON record for json_to_recordset. */
function toWire(e: IngestEvent) {
  return { run_id: e.runId, id: e.id, seq: e.seq, type: e.type, task_id: e.taskId, ts: e.ts, payload: e.payload };
}
