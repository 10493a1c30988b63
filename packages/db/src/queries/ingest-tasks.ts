import type { Db } from "../client.js";
import { type ProjectableEvent, projectTask } from "../projection.js";
import type { NewTaskRow, TaskStatus } from "../schema.js";
import type { IngestEvent } from "./ingest-event.js";
import { readTaskEvents, type StoredTask } from "./ingest-reads.js";

export const LOG_TYPES = new Set(["run.log", "task.log"]);

const COUNTER: Record<TaskStatus, "tasksRunning" | "tasksCompleted" | "tasksFailed" | "tasksSkipped" | "tasksCancelled"> = {
  running: "tasksRunning",
  completed: "tasksCompleted",
  failed: "tasksFailed",
  skipped: "tasksSkipped",
  cancelled: "tasksCancelled",
};

/** What a batch adds to a run's counters and sums. */
export type Deltas = Record<(typeof COUNTER)[TaskStatus] | "taskCount" | "inputTokens" | "outputTokens" | "costUsd" | "logCount", number>;
export const zeroDeltas = (): Deltas => ({
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

/** Map key of a (run, id) pair; ids hold no NUL (the API refuses them). */
export const key = (runId: string, id: string) => `${runId}\u0000${id}`;

/** Task rows to write, split by whether the task had a row before the batch, and each run's deltas. */
export interface ProjectedTasks {
  fresh: NewTaskRow[];
  existing: NewTaskRow[];
  deltas: Map<string, Deltas>;
}

/**
 * Recomputes every task the fresh events touch. A task with no row yet has no stored
 * events but this batch's (every non-log event writes its task's row in the same
 * transaction, under the run's lock), so it is projected from the batch alone; only
 * tasks that had a row read their stored events. `runEnds`: the server-made event that
 * ended each run, if any (its tasks end with it). Events that lost to an earlier one
 * are added to `ignored`.
 */
export async function projectTasks(
  tx: Db,
  projectId: string,
  fresh: IngestEvent[],
  before: StoredTask[],
  runEnds: Map<string, ProjectableEvent>,
  ignored: Set<string>,
): Promise<ProjectedTasks> {
  const deltas = new Map<string, Deltas>();
  const deltaOf = (runId: string): Deltas => {
    let d = deltas.get(runId);
    if (!d) {
      d = zeroDeltas();
      deltas.set(runId, d);
    }
    return d;
  };
  const touched = new Map<string, { runId: string; taskId: string; events: ProjectableEvent[] }>();
  for (const e of fresh) {
    if (LOG_TYPES.has(e.type)) deltaOf(e.runId).logCount += 1;
    else if (e.taskId !== null) {
      const k = key(e.runId, e.taskId);
      const t = touched.get(k);
      if (t) t.events.push(e);
      else touched.set(k, { runId: e.runId, taskId: e.taskId, events: [e] });
    }
  }
  const result: ProjectedTasks = { fresh: [], existing: [], deltas };
  if (touched.size === 0) return result;

  const previous = new Map<string, StoredTask>();
  for (const t of before) {
    const k = key(t.runId, t.id);
    if (touched.has(k)) previous.set(k, t);
  }
  // Tasks that had rows: their whole history replaces the batch's own events.
  if (previous.size > 0) {
    const runIds = new Set<string>();
    const taskIds = new Set<string>();
    for (const t of previous.values()) {
      runIds.add(t.runId);
      taskIds.add(t.id);
      const entry = touched.get(key(t.runId, t.id));
      if (entry) entry.events = [];
    }
    for (const e of await readTaskEvents(tx, projectId, [...runIds], [...taskIds])) {
      if (e.taskId !== null && previous.has(key(e.runId, e.taskId))) touched.get(key(e.runId, e.taskId))?.events.push(e);
    }
  }

  for (const [k, { runId, taskId, events }] of touched) {
    const { ignored: lost, ...fields } = projectTask(events, runEnds.get(runId));
    for (const id of lost) ignored.add(key(runId, id));
    const old = previous.get(k);
    (old ? result.existing : result.fresh).push({ projectId, runId, id: taskId, ...fields });

    const d = deltaOf(runId);
    d.inputTokens += (fields.inputTokens ?? 0) - (old?.inputTokens ?? 0);
    d.outputTokens += (fields.outputTokens ?? 0) - (old?.outputTokens ?? 0);
    d.costUsd += (fields.costUsd ?? 0) - (old?.costUsd ?? 0);
    if (old?.status === fields.status) continue;
    if (old === undefined) d.taskCount += 1;
    else d[COUNTER[old.status]] -= 1;
    d[COUNTER[fields.status]] += 1;
  }
  return result;
}
