import type { Db } from "../client.js";
import { type IngestEvent, writeEvents } from "../queries/ingest.js";

export interface BigRunOptions {
  runId: string;
  /** Number of tasks, groups included. */
  tasks: number;
  /** Every `groupSize`-th task is a group whose following tasks are its children. Default 100. */
  groupSize?: number;
  /** Events per writeEvents call. Default 1000. */
  batchSize?: number;
  /** Time of the run's start. Default 2030-01-01. */
  startedAt?: Date;
  /** Called after each writeEvents call with its index (0-based), e.g. to `analyze` a fresh database. */
  afterBatch?: (index: number) => Promise<void>;
}

/**
 * The events of a completed run with `tasks` tasks: `task-0` … `task-<n-1>`, each
 * group (`task-0`, `task-100`, …) the parent of the tasks up to the next group, one
 * millisecond apart, each task with a small input and output. Seqs are dense from 1.
 */
export function bigRunEvents(opts: BigRunOptions): IngestEvent[] {
  const { runId, tasks: n, groupSize = 100 } = opts;
  const t0 = (opts.startedAt ?? new Date(Date.UTC(2030, 0, 1))).getTime();
  const out: IngestEvent[] = [];
  let seq = 0;
  const push = (type: string, taskId: string | null, at: number, payload: Record<string, unknown>) => {
    seq += 1;
    out.push({ id: `${runId}-e${seq}`, runId, seq, type, taskId, ts: new Date(t0 + at), payload });
  };
  push("run.start", null, 0, { name: `big run (${n} tasks)`, input: { tasks: n } });
  for (let g = 0; g < n; g += groupSize) {
    const group = `task-${g}`;
    push("task.start", group, g, { name: group, input: { i: g } });
    const last = Math.min(g + groupSize, n) - 1;
    for (let i = g + 1; i <= last; i++) {
      const id = `task-${i}`;
      push("task.start", id, i, { name: id, parentTaskId: group, input: { i } });
      push("task.complete", id, i + 1, { output: { ok: i } });
    }
    push("task.complete", group, last + 1, { output: { children: last - g } });
  }
  push("run.complete", null, n + 1, { output: { tasks: n } });
  return out;
}

/** Writes a run with `tasks` tasks straight into the store (no HTTP), `batchSize` events a call. */
export async function seedBigRun(db: Db, projectId: string, opts: BigRunOptions): Promise<void> {
  const events = bigRunEvents(opts);
  const size = opts.batchSize ?? 1000;
  for (let i = 0; i < events.length; i += size) {
    await writeEvents(db, projectId, events.slice(i, i + size));
    await opts.afterBatch?.(i / size);
  }
}
