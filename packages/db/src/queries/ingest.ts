import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { type ProjectableEvent, projectRun, projectTask } from "../projection.js";
import { events, type NewRunRow, type NewTaskRow, runs, type TaskStatus, tasks } from "../schema.js";

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

const COUNTER: Record<TaskStatus, "tasksRunning" | "tasksCompleted" | "tasksFailed" | "tasksSkipped" | "tasksCancelled"> = {
  running: "tasksRunning",
  completed: "tasksCompleted",
  failed: "tasksFailed",
  skipped: "tasksSkipped",
  cancelled: "tasksCancelled",
};

type Counters = Record<(typeof COUNTER)[TaskStatus] | "taskCount", number>;
const zeroCounters = (): Counters => ({
  taskCount: 0,
  tasksRunning: 0,
  tasksCompleted: 0,
  tasksFailed: 0,
  tasksSkipped: 0,
  tasksCancelled: 0,
});

const key = (...parts: string[]) => parts.join("\u0000");

/**
 * Stores a batch in one transaction of set-based statements: append the events
 * (a repeated id is a no-op), then recompute only the tasks and runs the new
 * events touch, from their own events in seq order. Duplicate, reordered and
 * interleaved batches therefore converge on the same stored run.
 */
export async function writeEvents(db: Db, projectId: string, batch: IngestEvent[]): Promise<WriteStatus[]> {
  if (batch.length === 0) return [];
  return db.transaction(async (tx) => {
    // Serialise writers per run (sorted, so two batches never deadlock); readers are not blocked.
    const runIds = [...new Set(batch.map((e) => e.runId))].sort();
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtextextended(${projectId} || '/' || r, 0)) from json_array_elements_text(${JSON.stringify(runIds)}::json) with ordinality as u(r, n) order by n`,
    );

    const firstIndex = new Map<string, number>();
    const unique: IngestEvent[] = [];
    for (const [i, e] of batch.entries()) {
      const k = key(e.runId, e.id);
      if (firstIndex.has(k)) continue;
      firstIndex.set(k, i);
      unique.push(e);
    }

    const inserted = await tx
      .insert(events)
      .values(unique.map((e) => ({ projectId, ...e })))
      .onConflictDoNothing()
      .returning({ runId: events.runId, id: events.id });
    const fresh = new Set(inserted.map((r) => key(r.runId, r.id)));
    const statuses: WriteStatus[] = batch.map((e, i) =>
      firstIndex.get(key(e.runId, e.id)) === i && fresh.has(key(e.runId, e.id)) ? "accepted" : "duplicate",
    );
    if (fresh.size === 0) return statuses;

    const freshEvents = unique.filter((e) => fresh.has(key(e.runId, e.id)));
    const ignored = new Set<string>();
    const deltas = await updateTasks(tx, projectId, freshEvents, ignored);
    await updateRuns(tx, projectId, freshEvents, deltas, ignored);

    return statuses.map((s, i) => {
      const e = batch[i];
      return s === "accepted" && e && ignored.has(key(e.runId, e.id)) ? "conflict" : s;
    });
  });
}

/** Recomputes every touched task; returns the task counter changes per run. */
async function updateTasks(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  ignored: Set<string>,
): Promise<Map<string, Counters>> {
  const deltas = new Map<string, Counters>();
  const touched = new Map<string, { r: string; t: string }>();
  for (const e of fresh) if (e.taskId !== null) touched.set(key(e.runId, e.taskId), { r: e.runId, t: e.taskId });
  if (touched.size === 0) return deltas;

  const pairs = sql`(select r, t from json_to_recordset(${JSON.stringify([...touched.values()])}::json) as x(r text, t text))`;
  const [history, previous] = await Promise.all([
    tx
      .select({
        runId: events.runId,
        taskId: events.taskId,
        id: events.id,
        seq: events.seq,
        type: events.type,
        ts: events.ts,
        payload: events.payload,
      })
      .from(events)
      .where(and(eq(events.projectId, projectId), sql`(${events.runId}, ${events.taskId}) in ${pairs}`)),
    tx
      .select({ runId: tasks.runId, id: tasks.id, status: tasks.status })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), sql`(${tasks.runId}, ${tasks.id}) in ${pairs}`)),
  ]);

  const byTask = new Map<string, ProjectableEvent[]>();
  for (const e of history) {
    const k = key(e.runId, e.taskId ?? "");
    const list = byTask.get(k);
    if (list) list.push(e);
    else byTask.set(k, [e]);
  }
  const oldStatus = new Map(previous.map((t) => [key(t.runId, t.id), t.status]));

  const rows: NewTaskRow[] = [];
  for (const [k, { r, t }] of touched) {
    const p = projectTask(byTask.get(k) ?? []);
    for (const id of p.ignored) ignored.add(key(r, id));
    const { ignored: _, ...fields } = p;
    rows.push({ projectId, runId: r, id: t, ...fields, updatedAt: new Date() });

    const before = oldStatus.get(k);
    if (before === p.status) continue;
    const d = deltas.get(r) ?? zeroCounters();
    deltas.set(r, d);
    if (before === undefined) d.taskCount += 1;
    else d[COUNTER[before]] -= 1;
    d[COUNTER[p.status]] += 1;
  }

  await tx
    .insert(tasks)
    .values(rows)
    .onConflictDoUpdate({
      target: [tasks.projectId, tasks.runId, tasks.id],
      set: {
        parentTaskId: sql`excluded.parent_task_id`,
        name: sql`excluded.name`,
        status: sql`excluded.status`,
        input: sql`excluded.input`,
        output: sql`excluded.output`,
        errorMessage: sql`excluded.error_message`,
        errorStack: sql`excluded.error_stack`,
        statusMessage: sql`excluded.status_message`,
        startSeq: sql`excluded.start_seq`,
        endSeq: sql`excluded.end_seq`,
        startedAt: sql`excluded.started_at`,
        endedAt: sql`excluded.ended_at`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
  return deltas;
}

const addCounters = {
  taskCount: sql`${runs.taskCount} + excluded.task_count`,
  tasksRunning: sql`${runs.tasksRunning} + excluded.tasks_running`,
  tasksCompleted: sql`${runs.tasksCompleted} + excluded.tasks_completed`,
  tasksFailed: sql`${runs.tasksFailed} + excluded.tasks_failed`,
  tasksSkipped: sql`${runs.tasksSkipped} + excluded.tasks_skipped`,
  tasksCancelled: sql`${runs.tasksCancelled} + excluded.tasks_cancelled`,
  lastEventAt: sql`greatest(${runs.lastEventAt}, excluded.last_event_at)`,
  updatedAt: sql`excluded.updated_at`,
};

/**
 * Runs whose own events arrived are recomputed from those events (a handful);
 * the others only get their counters and last-seen time moved. Task events
 * never cause a rescan of the run's tasks.
 */
async function updateRuns(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  deltas: Map<string, Counters>,
  ignored: Set<string>,
): Promise<void> {
  const seen = new Map<string, { first: Date; last: Date; own: boolean }>();
  for (const e of fresh) {
    const s = seen.get(e.runId);
    if (!s) seen.set(e.runId, { first: e.ts, last: e.ts, own: e.taskId === null });
    else {
      if (e.ts < s.first) s.first = e.ts;
      if (e.ts > s.last) s.last = e.ts;
      if (e.taskId === null) s.own = true;
    }
  }

  const recompute = [...seen].filter(([, s]) => s.own).map(([r]) => r);
  const own = new Map<string, ProjectableEvent[]>();
  if (recompute.length > 0) {
    const history = await tx
      .select({ runId: events.runId, id: events.id, seq: events.seq, type: events.type, ts: events.ts, payload: events.payload })
      .from(events)
      .where(
        and(
          eq(events.projectId, projectId),
          isNull(events.taskId),
          sql`${events.runId} in (select json_array_elements_text(${JSON.stringify(recompute)}::json))`,
        ),
      );
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
    const counters = deltas.get(runId) ?? zeroCounters();
    const base = { projectId, id: runId, ...counters, lastEventAt: s.last, updatedAt: now };
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
  if (full.length > 0) {
    await tx
      .insert(runs)
      .values(full)
      .onConflictDoUpdate({
        target: [runs.projectId, runs.id],
        set: {
          ...addCounters,
          startedAt,
          name: sql`excluded.name`,
          status: sql`excluded.status`,
          input: sql`excluded.input`,
          output: sql`excluded.output`,
          errorMessage: sql`excluded.error_message`,
          errorStack: sql`excluded.error_stack`,
          metadata: sql`excluded.metadata`,
          tags: sql`excluded.tags`,
          parentRunId: sql`excluded.parent_run_id`,
          startSeen: sql`excluded.start_seen`,
          endedAt: sql`excluded.ended_at`,
        },
      });
  }
  if (light.length > 0) {
    await tx
      .insert(runs)
      .values(light)
      .onConflictDoUpdate({ target: [runs.projectId, runs.id], set: { ...addCounters, startedAt } });
  }
}
