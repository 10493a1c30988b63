import type { Db } from "../client.js";
import type { ProjectableEvent } from "../projection.js";
import type { IngestEvent } from "./ingest-event.js";
import { readRunEvents, readTaskRows } from "./ingest-reads.js";
import { insertEvents, writeTasks } from "./ingest-rows.js";
import { type RunRowState, type RunState, toRunState, updateRuns } from "./ingest-runs.js";
import { key, LOG_TYPES, projectTasks } from "./ingest-tasks.js";
import { runStatement, textArray } from "./statement.js";

export type { IngestEvent } from "./ingest-event.js";

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

const LOCK_RUNS = "select pg_advisory_xact_lock(hashtextextended($1 || '/' || r, 0)) from unnest($2::text[]) with ordinality as u(r, n) order by n";
const HEARTBEATS = "update runs set last_seen_at = now() where project_id = $1 and id = any($2::text[]) returning id, version, status, error_message";
const RUN_STATES = "select id, version, status, error_message from runs where project_id = $1 and id = any($2::text[])";

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
      const rows = await runStatement<RunRowState>(tx, RUN_STATES, [projectId, textArray(unseen)]);
      for (const r of rows) runs.set(r.id, toRunState(r));
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
  await runStatement(tx, LOCK_RUNS, [projectId, textArray([...new Set(runIds)].sort())]);
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
  // The first occurrence of each (run, id) in the batch; later ones are duplicates whatever happens.
  const keys: (string | null)[] = new Array(batch.length);
  const firsts = new Set<string>();
  const unique: IngestEvent[] = [];
  const uniqueKeys: string[] = [];
  const heartbeatRuns = new Set<string>();
  const taskRuns = new Set<string>();
  const taskIds = new Set<string>();
  for (const [i, e] of batch.entries()) {
    if (e.type === HEARTBEAT) {
      heartbeatRuns.add(e.runId);
      keys[i] = null;
      continue;
    }
    const k = key(e.runId, e.id);
    if (firsts.has(k)) {
      keys[i] = null;
      continue;
    }
    firsts.add(k);
    keys[i] = k;
    unique.push(e);
    uniqueKeys.push(k);
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
  const fresh = inserted === "all" ? null : new Set(inserted.map(([runId, id]) => key(runId, id)));
  const statuses: WriteStatus[] = batch.map((e, i) => {
    const k = keys[i];
    return e.type === HEARTBEAT || (k != null && (fresh === null || fresh.has(k))) ? "accepted" : "duplicate";
  });
  const freshEvents = fresh === null ? unique : unique.filter((_, i) => fresh.has(uniqueKeys[i] ?? ""));

  const runs = new Map<string, RunState>();
  for (const e of freshEvents) heartbeatRuns.delete(e.runId);
  if (heartbeatRuns.size > 0) {
    const rows = await runStatement<RunRowState>(tx, HEARTBEATS, [projectId, textArray(heartbeatRuns)]);
    for (const r of rows) runs.set(r.id, toRunState(r));
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

  if (ignored.size > 0) {
    for (const [i, k] of keys.entries()) if (k != null && statuses[i] === "accepted" && ignored.has(k)) statuses[i] = "conflict";
  }
  return { statuses, runs };
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
