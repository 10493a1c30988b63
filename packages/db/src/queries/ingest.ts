import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import type { ProjectableEvent } from "../projection.js";
import type { RunStatus } from "../schema.js";
import { readRunEvents, readTaskRows } from "./ingest-reads.js";
import { insertEvents, textArray, writeTasks } from "./ingest-rows.js";
import { type RunState, updateRuns } from "./ingest-runs.js";
import { key, LOG_TYPES, projectTasks } from "./ingest-tasks.js";

/** One validated event, as the ingest API hands it to storage. */
export interface IngestEvent {
  id: string;
  runId: string;
  seq: number;
  type: string;
  taskId: string | null;
  ts: Date;
  payload: Record<string, unknown>;
}

/** Outcome per event, in input order (see the wire protocol's EventResultStatus). */
export type WriteStatus = "accepted" | "duplicate" | "conflict";

export interface WriteResult {
  statuses: WriteStatus[];
  /** Runs of the batch that are cancelled on the server: the emitting process should stop. */
  cancelledRuns: { runId: string; reason: string | null }[];
}

/** Not stored: only refreshes the run's last-seen time. */
export const HEARTBEAT = "run.heartbeat";
/** Server-made events that end a run and, with it, its tasks. */
const RUN_ENDS = new Set(["run.cancel", "run.timeout"]);

/**
 * Stores a batch in one transaction of set-based statements: append the events
 * (a repeated id is a no-op), then recompute only the tasks and runs the new
 * events touch, from their own events in seq order. Duplicate, reordered and
 * interleaved batches therefore converge on the same stored run.
 */
export async function writeEvents(db: Db, projectId: string, batch: IngestEvent[]): Promise<WriteResult> {
  if (batch.length === 0) return { statuses: [], cancelledRuns: [] };
  return db.transaction(async (tx) => {
    const runIds = [...new Set(batch.map((e) => e.runId))];
    const locked = lockRuns(tx, projectId, runIds);
    const { statuses, runs } = await applyBatch(tx, projectId, batch, locked);
    // Runs the batch did not change (only duplicates) are looked up; the others' rows came back from their writes.
    const unseen = runIds.filter((r) => !runs.has(r));
    if (unseen.length > 0) {
      const rows = await selectRows<{ id: string; status: RunStatus; error_message: string | null }>(
        tx,
        sql`select id, status, error_message from runs where project_id = ${projectId} and id = any(${textArray(unseen)}::text[])`,
      );
      for (const r of rows) runs.set(r.id, { version: 0, status: r.status, errorMessage: r.error_message });
    }
    const cancelledRuns = runIds.flatMap((runId) => {
      const run = runs.get(runId);
      return run?.status === "cancelled" ? [{ runId, reason: run.errorMessage }] : [];
    });
    return { statuses, cancelledRuns };
  });
}

/**
 * Serialises writers per run for the rest of the transaction (in sorted order, so
 * two batches never deadlock); readers are not blocked. On Citus the advisory locks
 * are taken on the coordinator, which runs every write of the batch.
 */
export async function lockRuns(tx: Db, projectId: string, runIds: string[]): Promise<void> {
  const sorted = [...new Set(runIds)].sort();
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${projectId} || '/' || r, 0)) from unnest(${textArray(sorted)}::text[]) with ordinality as u(r, n) order by n`,
  );
}

/** The body of `writeEvents`, for callers that already hold the runs' locks in a transaction. */
export async function applyEvents(tx: Db, projectId: string, batch: IngestEvent[]): Promise<WriteStatus[]> {
  return (await applyBatch(tx, projectId, batch, Promise.resolve())).statuses;
}

/**
 * `locked` is the pending lock statement: the statements here are sent behind it on the
 * same connection without waiting for it (Postgres runs them in order), so a batch
 * costs few round trips. Returns the statuses and the rows of the runs it wrote.
 */
async function applyBatch(
  tx: Db,
  projectId: string,
  batch: IngestEvent[],
  locked: Promise<void>,
): Promise<{ statuses: WriteStatus[]; runs: Map<string, RunState> }> {
  const firstIndex = new Map<string, number>();
  const unique: IngestEvent[] = [];
  const heartbeatRuns = new Set<string>();
  const taskRuns = new Set<string>();
  const taskIds = new Set<string>();
  for (const [i, e] of batch.entries()) {
    if (e.type === HEARTBEAT) {
      heartbeatRuns.add(e.runId);
      continue;
    }
    const k = key(e.runId, e.id);
    if (firstIndex.has(k)) continue;
    firstIndex.set(k, i);
    unique.push(e);
    if (e.taskId !== null && !LOG_TYPES.has(e.type)) {
      taskRuns.add(e.runId);
      taskIds.add(e.taskId);
    }
  }
  const uniqueRuns = [...new Set(unique.map((e) => e.runId))];

  // Sent together, behind the lock: the reads need only the batch's keys, and run after the insert.
  const [, inserted, stored, runEvents] = await Promise.all([
    locked,
    insertEvents(tx, projectId, unique),
    taskIds.size > 0 ? readTaskRows(tx, projectId, [...taskRuns], [...taskIds]) : [],
    uniqueRuns.length > 0 ? readRunEvents(tx, projectId, uniqueRuns) : [],
  ]);
  const fresh = new Set(inserted.map((r) => key(r.run_id, r.id)));
  const statuses: WriteStatus[] = batch.map((e, i) =>
    e.type === HEARTBEAT || (firstIndex.get(key(e.runId, e.id)) === i && fresh.has(key(e.runId, e.id))) ? "accepted" : "duplicate",
  );

  const freshEvents = unique.filter((e) => fresh.has(key(e.runId, e.id)));
  const runs = new Map<string, RunState>();
  for (const e of freshEvents) heartbeatRuns.delete(e.runId);
  if (heartbeatRuns.size > 0) {
    const rows = await selectRows<{ id: string; version: number | string; status: RunStatus; error_message: string | null }>(
      tx,
      sql`update runs set last_seen_at = now() where project_id = ${projectId} and id = any(${textArray(heartbeatRuns)}::text[])
          returning id, version, status, error_message`,
    );
    for (const r of rows) runs.set(r.id, { version: Number(r.version), status: r.status, errorMessage: r.error_message });
  }
  if (freshEvents.length === 0) return { statuses, runs };

  const [own, runEnds] = splitRunEvents(runEvents);
  const ignored = new Set<string>();
  const tasks = await projectTasks(tx, projectId, freshEvents, stored, runEnds, ignored);
  for (const [runId, state] of await updateRuns(tx, projectId, freshEvents, tasks.deltas, own, ignored)) runs.set(runId, state);
  const versionOf = (runId: string) => runs.get(runId)?.version ?? 0;
  for (const row of tasks.fresh) row.version = versionOf(row.runId);
  for (const row of tasks.existing) row.version = versionOf(row.runId);
  await writeTasks(tx, projectId, tasks.fresh, tasks.existing);

  return {
    statuses: statuses.map((s, i) => {
      const e = batch[i];
      return s === "accepted" && e && ignored.has(key(e.runId, e.id)) ? "conflict" : s;
    }),
    runs,
  };
}

/**
 * Each run's own events, and the server-made event that ended it (cancel, timeout): its
 * tasks end with it, including tasks whose events arrive afterwards.
 */
function splitRunEvents(events: (ProjectableEvent & { runId: string })[]): [Map<string, ProjectableEvent[]>, Map<string, ProjectableEvent>] {
  const own = new Map<string, ProjectableEvent[]>();
  const ends = new Map<string, ProjectableEvent>();
  for (const e of events) {
    const list = own.get(e.runId);
    if (list) list.push(e);
    else own.set(e.runId, [e]);
    if (!RUN_ENDS.has(e.type)) continue;
    const end = ends.get(e.runId);
    if (!end || e.seq < end.seq || (e.seq === end.seq && e.id < end.id)) ends.set(e.runId, e);
  }
  return [own, ends];
}
