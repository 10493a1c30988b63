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

/** Merges two lists sorted by compareTasks into one, in O(a + b). */
function merge(a: readonly TaskSummaryView[], b: readonly TaskSummaryView[]): TaskSummaryView[] {
  const out: TaskSummaryView[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as TaskSummaryView;
    const y = b[j] as TaskSummaryView;
    if (compareTasks(y, x) < 0) {
      out[k++] = y;
      j++;
    } else {
      out[k++] = x;
      i++;
    }
  }
  while (i < a.length) out[k++] = a[i++] as TaskSummaryView;
  while (j < b.length) out[k++] = b[j++] as TaskSummaryView;
  return out;
}

/**
 * Upserts changed tasks by id: what the live stream sends and the chunks of a big run's
 * timeline as they load. A copy older than the one held (a resent message after a
 * reconnect, a chunk read before a live change) is ignored. Known tasks that keep their
 * place are swapped in place and new ones merged in, in O(held + incoming): a 100,000-
 * task run takes its chunks and its live tasks without being re-sorted each time. Only
 * a known task that moves (its start arrived) re-sorts the list. The page keeps its
 * tasks in a `TaskIndex` (task-index.ts), tested to hold what this returns.
 */
export function applyTasks(state: LiveTasks, incoming: readonly TaskSummaryView[]): LiveTasks {
  const byId = new Map(state.byId);
  let fresh: TaskSummaryView[] = [];
  let replaced = false;
  let moved = false;
  let repeated = false;
  for (const t of incoming) {
    const prev = byId.get(t.id);
    if (prev && prev.version >= t.version) continue;
    byId.set(t.id, t);
    if (!prev) fresh.push(t);
    else if (!state.byId.has(t.id)) {
      repeated = true;
      fresh.push(t);
    } else {
      replaced = true;
      if (prev.seq !== t.seq || (t.seq === null && prev.endedAt !== t.endedAt)) moved = true;
    }
  }
  if (fresh.length === 0 && !replaced) return state;
  if (moved) return { byId, ordered: [...byId.values()].sort(compareTasks) };
  // A task new to us and listed twice in `incoming`: keep only the copy now held.
  if (repeated) fresh = fresh.filter((t) => byId.get(t.id) === t);
  if (!isSorted(fresh)) fresh.sort(compareTasks);
  const kept = replaced ? state.ordered.map((t) => byId.get(t.id) ?? t) : state.ordered;
  return { byId, ordered: fresh.length > 0 ? merge(kept, fresh) : kept };
}

/** Chunks of a timeline come sorted: checking is one pass, sorting is many. */
function isSorted(tasks: readonly TaskSummaryView[]): boolean {
  for (let i = 1; i < tasks.length; i++) {
    if (compareTasks(tasks[i - 1] as TaskSummaryView, tasks[i] as TaskSummaryView) > 0) return false;
  }
  return true;
}
