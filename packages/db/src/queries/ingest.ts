import { and, eq, inArray, sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { type EventRowRaw, insertEvents, numberOrNull, toProjectable, upsertTasks } from "./ingest-rows.js";
import { type ProjectableEvent, projectRun, projectTask } from "../projection.js";
import { type NewRunRow, type NewTaskRow, runs, type TaskStatus } from "../schema.js";

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
const LOG_TYPES = new Set(["run.log", "task.log"]);

const COUNTER: Record<TaskStatus, "tasksRunning" | "tasksCompleted" | "tasksFailed" | "tasksSkipped" | "tasksCancelled"> = {
  running: "tasksRunning",
  completed: "tasksCompleted",
  failed: "tasksFailed",
  skipped: "tasksSkipped",
  cancelled: "tasksCancelled",
};

/** What a batch adds to a run's counters and sums. */
type Deltas = Record<(typeof COUNTER)[TaskStatus] | "taskCount" | "inputTokens" | "outputTokens" | "costUsd" | "logCount", number>;
const zeroDeltas = (): Deltas => ({
  taskCount: 0,
  tasksRunning: 0,
  tasksCompleted: 0,
  tasksFailed: 0,
  tasksSkipped: 0,
  tasksCancelled: 0,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  logCount: 0,
});

const key = (...parts: string[]) => parts.join("\u0000");

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
    await lockRuns(tx, projectId, runIds);
    const statuses = await applyEvents(tx, projectId, batch);
    const cancelled = await tx
      .select({ runId: runs.id, reason: runs.errorMessage })
      .from(runs)
      .where(and(eq(runs.projectId, projectId), inArray(runs.id, runIds), eq(runs.status, "cancelled")));
    return { statuses, cancelledRuns: cancelled };
  });
}

/**
 * Serialises writers per run for the rest of the transaction (in sorted order, so
 * two batches never deadlock); readers are not blocked.
 */
export async function lockRuns(tx: Db, projectId: string, runIds: string[]): Promise<void> {
  const sorted = [...new Set(runIds)].sort();
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtextextended(${projectId} || '/' || r, 0)) from json_array_elements_text(${JSON.stringify(sorted)}::json) with ordinality as u(r, n) order by n`,
  );
}

/** The body of `writeEvents`, for callers that already hold the runs' locks in a transaction. */
export async function applyEvents(tx: Db, projectId: string, batch: IngestEvent[]): Promise<WriteStatus[]> {
  const firstIndex = new Map<string, number>();
  const unique: IngestEvent[] = [];
  const heartbeatRuns = new Set<string>();
  for (const [i, e] of batch.entries()) {
    if (e.type === HEARTBEAT) {
      heartbeatRuns.add(e.runId);
      continue;
    }
    const k = key(e.runId, e.id);
    if (firstIndex.has(k)) continue;
    firstIndex.set(k, i);
    unique.push(e);
  }

  const inserted = await insertEvents(tx, projectId, unique);
  const fresh = new Set(inserted.map((r) => key(r.runId, r.id)));
  const statuses: WriteStatus[] = batch.map((e, i) =>
    e.type === HEARTBEAT || (firstIndex.get(key(e.runId, e.id)) === i && fresh.has(key(e.runId, e.id))) ? "accepted" : "duplicate",
  );

  const freshEvents = unique.filter((e) => fresh.has(key(e.runId, e.id)));
  for (const e of freshEvents) heartbeatRuns.delete(e.runId);
  if (heartbeatRuns.size > 0) {
    await tx
      .update(runs)
      .set({ lastSeenAt: sql`now()` })
      .where(and(eq(runs.projectId, projectId), inArray(runs.id, [...heartbeatRuns])));
  }
  if (freshEvents.length === 0) return statuses;

  const ignored = new Set<string>();
  const { rows, deltas } = await projectTasks(tx, projectId, freshEvents, ignored);
  const versions = await updateRuns(tx, projectId, freshEvents, deltas, ignored);
  if (rows.length > 0) await upsertTasks(tx, projectId, rows.map((r) => ({ ...r, version: versions.get(r.runId) ?? 0 })));

  return statuses.map((s, i) => {
    const e = batch[i];
    return s === "accepted" && e && ignored.has(key(e.runId, e.id)) ? "conflict" : s;
  });
}

/** Recomputes every task the fresh events touch; returns the rows and each run's deltas. */
async function projectTasks(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  ignored: Set<string>,
): Promise<{ rows: NewTaskRow[]; deltas: Map<string, Deltas> }> {
  const deltas = new Map<string, Deltas>();
  const deltaOf = (runId: string): Deltas => {
    const found = deltas.get(runId);
    if (found) return found;
    const d = zeroDeltas();
    deltas.set(runId, d);
    return d;
  };
  const touched = new Map<string, { r: string; t: string }>();
  for (const e of fresh) {
    if (LOG_TYPES.has(e.type)) deltaOf(e.runId).logCount += 1;
    else if (e.taskId !== null) touched.set(key(e.runId, e.taskId), { r: e.runId, t: e.taskId });
  }
  if (touched.size === 0) return { rows: [], deltas };

  // Driven from the touched pairs, one index lookup each (`offset 0` keeps the planner
  // from turning it into a hash join over every event of the project).
  const pairs = sql`json_to_recordset(${JSON.stringify([...touched.values()])}::json) as x(r text, t text)`;
  const runIds = [...new Set([...touched.values()].map((p) => p.r))];
  const [history, previous, runEnds] = await Promise.all([
    // A task's start and terminal events, and only its latest update (a task may send thousands).
    selectRows<EventRowRaw>(
      tx,
      sql`select e.run_id, e.task_id, e.id, e.seq, e.type, e.ts, e.payload from ${pairs} cross join lateral (
            (select * from events e where e.project_id = ${projectId} and e.run_id = x.r and e.task_id = x.t
               and e.type not in ('task.log', 'task.update') offset 0)
            union all
            (select * from events e where e.project_id = ${projectId} and e.run_id = x.r and e.task_id = x.t
               and e.type = 'task.update' order by e.seq desc limit 1)) e`,
    ).then((rows) => rows.map(toProjectable)),
    selectRows<{ run_id: string; id: string; status: TaskStatus; input_tokens: unknown; output_tokens: unknown; cost_usd: unknown }>(
      tx,
      sql`select t.run_id, t.id, t.status, t.input_tokens, t.output_tokens, t.cost_usd from ${pairs} cross join lateral (
            select * from tasks t where t.project_id = ${projectId} and t.run_id = x.r and t.id = x.t offset 0) t`,
    ).then((rows) =>
      rows.map((t) => ({
        runId: t.run_id,
        id: t.id,
        status: t.status,
        inputTokens: numberOrNull(t.input_tokens),
        outputTokens: numberOrNull(t.output_tokens),
        costUsd: numberOrNull(t.cost_usd),
      })),
    ),
    // Runs the server ended (cancel, timeout): their tasks end with them, including tasks
    // whose events arrive afterwards.
    selectRows<EventRowRaw>(
      tx,
      sql`select e.run_id, e.task_id, e.id, e.seq, e.type, e.ts, e.payload
          from json_array_elements_text(${JSON.stringify(runIds)}::json) as x(r) cross join lateral (
            select * from events e where e.project_id = ${projectId} and e.run_id = x.r and e.task_id is null
              and e.type in ('run.cancel', 'run.timeout') order by e.seq limit 1) e`,
    ).then((rows) => new Map(rows.map((r) => [r.run_id, toProjectable(r)]))),
  ]);

  const byTask = new Map<string, ProjectableEvent[]>();
  for (const e of history) {
    const k = key(e.runId, e.taskId ?? "");
    const list = byTask.get(k);
    if (list) list.push(e);
    else byTask.set(k, [e]);
  }
  const before = new Map(previous.map((t) => [key(t.runId, t.id), t]));

  const rows: NewTaskRow[] = [];
  const now = new Date();
  for (const [k, { r, t }] of touched) {
    const p = projectTask(byTask.get(k) ?? [], runEnds.get(r));
    for (const id of p.ignored) ignored.add(key(r, id));
    const { ignored: _, ...fields } = p;
    rows.push({ projectId, runId: r, id: t, ...fields, updatedAt: now });

    const old = before.get(k);
    const d = deltaOf(r);
    d.inputTokens += (p.inputTokens ?? 0) - (old?.inputTokens ?? 0);
    d.outputTokens += (p.outputTokens ?? 0) - (old?.outputTokens ?? 0);
    d.costUsd += (p.costUsd ?? 0) - (old?.costUsd ?? 0);
    if (old?.status === p.status) continue;
    if (old === undefined) d.taskCount += 1;
    else d[COUNTER[old.status]] -= 1;
    d[COUNTER[p.status]] += 1;
  }
  return { rows, deltas };
}

/** Run token sums stop here: the largest integer a JavaScript number holds exactly. */
const MAX_TOKENS = sql.raw(String(Number.MAX_SAFE_INTEGER));

const addDeltas = {
  taskCount: sql`${runs.taskCount} + excluded.task_count`,
  tasksRunning: sql`${runs.tasksRunning} + excluded.tasks_running`,
  tasksCompleted: sql`${runs.tasksCompleted} + excluded.tasks_completed`,
  tasksFailed: sql`${runs.tasksFailed} + excluded.tasks_failed`,
  tasksSkipped: sql`${runs.tasksSkipped} + excluded.tasks_skipped`,
  tasksCancelled: sql`${runs.tasksCancelled} + excluded.tasks_cancelled`,
  // Saturating: 10,000 tasks of 1e15 tokens each would overflow bigint and fail every later batch of the run.
  inputTokens: sql`least(${runs.inputTokens}::numeric + excluded.input_tokens, ${MAX_TOKENS})::bigint`,
  outputTokens: sql`least(${runs.outputTokens}::numeric + excluded.output_tokens, ${MAX_TOKENS})::bigint`,
  costUsd: sql`${runs.costUsd} + excluded.cost_usd`,
  logCount: sql`${runs.logCount} + excluded.log_count`,
  lastEventAt: sql`greatest(${runs.lastEventAt}, excluded.last_event_at)`,
  lastSeq: sql`greatest(${runs.lastSeq}, excluded.last_seq)`,
  // The database's clock, like the sweeper's and the heartbeats': app hosts may disagree.
  lastSeenAt: sql`now()`,
  version: sql`${runs.version} + 1`,
  updatedAt: sql`excluded.updated_at`,
};

/**
 * Runs whose own events arrived are recomputed from those events (a handful);
 * the others only get their counters, sums and last-seen time moved. Task
 * events never cause a rescan of the run's tasks. Returns each run's new version.
 */
async function updateRuns(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  deltas: Map<string, Deltas>,
  ignored: Set<string>,
): Promise<Map<string, number>> {
  const seen = new Map<string, { first: Date; last: Date; lastSeq: number; own: boolean }>();
  for (const e of fresh) {
    const own = e.taskId === null && !LOG_TYPES.has(e.type);
    const s = seen.get(e.runId);
    if (!s) seen.set(e.runId, { first: e.ts, last: e.ts, lastSeq: e.seq, own });
    else {
      if (e.ts < s.first) s.first = e.ts;
      if (e.ts > s.last) s.last = e.ts;
      if (e.seq > s.lastSeq) s.lastSeq = e.seq;
      if (own) s.own = true;
    }
  }

  const recompute = [...seen].filter(([, s]) => s.own).map(([r]) => r);
  const own = new Map<string, ProjectableEvent[]>();
  if (recompute.length > 0) {
    const history = (
      await selectRows<EventRowRaw>(
        tx,
        sql`select e.run_id, e.task_id, e.id, e.seq, e.type, e.ts, e.payload
            from json_array_elements_text(${JSON.stringify(recompute)}::json) as x(r) cross join lateral (
              select * from events e where e.project_id = ${projectId} and e.run_id = x.r and e.task_id is null and e.type <> 'run.log' offset 0) e`,
      )
    ).map(toProjectable);
    for (const e of history) {
      const list = own.get(e.runId);
      if (list) list.push(e);
      else own.set(e.runId, [e]);
    }
  }

  const full: NewRunRow[] = [];
  const light: NewRunRow[] = [];
  const now = new Date();
  for (const [runId, s] of seen) {
    const base = {
      projectId,
      id: runId,
      ...(deltas.get(runId) ?? zeroDeltas()),
      lastEventAt: s.last,
      lastSeq: s.lastSeq,
      version: 1,
      updatedAt: now,
    };
    if (!s.own) {
      light.push({ ...base, name: "", status: "running", startedAt: s.first });
      continue;
    }
    const p = projectRun(own.get(runId) ?? []);
    for (const id of p.ignored) ignored.add(key(runId, id));
    const { ignored: _, startSeen, startedAt, ...fields } = p;
    full.push({ ...base, ...fields, startSeen: startSeen ? 1 : 0, startedAt: startedAt ?? s.first });
  }

  // Until run.start arrives, the run's start is the earliest time seen so far.
  const startedAt = sql`case when excluded.start_seen = 1 then excluded.started_at when ${runs.startSeen} = 1 then ${runs.startedAt} else least(${runs.startedAt}, excluded.started_at) end`;
  const versions = new Map<string, number>();
  const returning = { id: runs.id, version: runs.version };
  if (full.length > 0) {
    const excluded = (column: string) => sql.raw(`excluded.${column}`);
    const rows = await tx
      .insert(runs)
      .values(full)
      .onConflictDoUpdate({
        target: [runs.projectId, runs.id],
        set: {
          ...addDeltas,
          startedAt,
          name: excluded("name"),
          status: excluded("status"),
          input: excluded("input"),
          output: excluded("output"),
          errorMessage: excluded("error_message"),
          errorStack: excluded("error_stack"),
          metadata: excluded("metadata"),
          tags: excluded("tags"),
          parentRunId: excluded("parent_run_id"),
          heartbeatTimeoutMs: excluded("heartbeat_timeout_ms"),
          ownUsage: excluded("own_usage"),
          startSeen: excluded("start_seen"),
          endedAt: excluded("ended_at"),
        },
      })
      .returning(returning);
    for (const r of rows) versions.set(r.id, r.version);
  }
  if (light.length > 0) {
    const rows = await tx
      .insert(runs)
      .values(light)
      .onConflictDoUpdate({ target: [runs.projectId, runs.id], set: { ...addDeltas, startedAt } })
      .returning(returning);
    for (const r of rows) versions.set(r.id, r.version);
  }
  return versions;
}
