import type { TaskSummaryView } from "@runtrail/db";

/** A run's tasks as the live page keeps them: by id, and in timeline order. */
export interface LiveTasks {
  byId: ReadonlyMap<string, TaskSummaryView>;
  ordered: readonly TaskSummaryView[];
}

const endOf = (t: TaskSummaryView) => (t.endedAt === null ? Number.POSITIVE_INFINITY : Date.parse(t.endedAt));

/**
 * Timeline order: by `seq` (the position of the task's start); tasks whose start has
 * not arrived (null seq) after them, by their end; ties by id, so the order is total.
 */
export function compareTasks(a: TaskSummaryView, b: TaskSummaryView): number {
  if (a.seq !== null && b.seq !== null && a.seq !== b.seq) return a.seq - b.seq;
  if (a.seq === null && b.seq !== null) return 1;
  if (a.seq !== null && b.seq === null) return -1;
  if (a.seq === null && b.seq === null) {
    const d = endOf(a) - endOf(b);
    if (d !== 0 && !Number.isNaN(d)) return d;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function toLiveTasks(tasks: readonly TaskSummaryView[]): LiveTasks {
  return { byId: new Map(tasks.map((t) => [t.id, t])), ordered: [...tasks].sort(compareTasks) };
}

/**
 * Upserts changed tasks by id. A copy older than the one held (a resent message after
 * a reconnect) is ignored. Re-sorts only when a task is new or moved; otherwise the
 * order stays and the changed tasks are swapped in place.
 */
export function applyTasks(state: LiveTasks, incoming: readonly TaskSummaryView[]): LiveTasks {
  const byId = new Map(state.byId);
  let changed = false;
  let moved = false;
  for (const t of incoming) {
    const prev = byId.get(t.id);
    if (prev && prev.version >= t.version) continue;
    changed = true;
    if (!prev || prev.seq !== t.seq || (t.seq === null && prev.endedAt !== t.endedAt)) moved = true;
    byId.set(t.id, t);
  }
  if (!changed) return state;
  const ordered = moved ? [...byId.values()].sort(compareTasks) : state.ordered.map((t) => byId.get(t.id) ?? t);
  return { byId, ordered };
}
