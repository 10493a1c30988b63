import type { TaskSummaryView } from "@runtrail/db";
import { addWithAncestors, PROBLEM_STATUSES } from "../error-filter";
import type { TreeRow } from "../task-index";
import { compareTasks } from "../task-order";
import type { TaskTimes } from "../task-times";

/**
 * The whole-list versions of what `TaskIndex` (../task-index.ts) keeps incrementally:
 * each rebuilds its answer from the full task list, the plain way. Only tests call
 * them: task-index.test.ts checks the index against them after random applies, and
 * whole-list.test.ts pins down what they answer.
 */

/** A run's tasks by id and in timeline order: `TaskIndex.byId` and `.ordered`. */
export interface LiveTasks {
  byId: ReadonlyMap<string, TaskSummaryView>;
  ordered: readonly TaskSummaryView[];
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
 * a known task that moves (its start arrived) re-sorts the list. `TaskIndex.apply`.
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

/**
 * Orders tasks as a tree: each task under its parent, siblings in timeline
 * order. A task whose parent is unknown (not arrived yet) stays at the root.
 * `TaskIndex.rows`.
 */
export function flattenTasks(tasks: readonly TaskSummaryView[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string | null, TaskSummaryView[]>();
  for (const t of tasks) {
    const parent = t.parentTaskId && ids.has(t.parentTaskId) && t.parentTaskId !== t.id ? t.parentTaskId : null;
    const list = children.get(parent);
    if (list) list.push(t);
    else children.set(parent, [t]);
  }
  const rows: TreeRow[] = [];
  const visited = new Set<string>();
  const stack: { task: TaskSummaryView; depth: number }[] = (children.get(null) ?? []).map((task) => ({ task, depth: 0 })).reverse();
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || visited.has(item.task.id)) continue;
    visited.add(item.task.id);
    const kids = children.get(item.task.id) ?? [];
    rows.push({ task: item.task, depth: item.depth, childCount: kids.length });
    if (collapsed.has(item.task.id)) {
      for (const k of descendants(item.task.id, children)) visited.add(k);
      continue;
    }
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push({ task: k, depth: item.depth + 1 });
    }
  }
  // Parent cycles (a -> b -> a) never reach the root; show them rather than lose them.
  for (const t of tasks) if (!visited.has(t.id)) rows.push({ task: t, depth: 0, childCount: 0 });
  return rows;
}

function descendants(id: string, children: Map<string | null, TaskSummaryView[]>): string[] {
  const out: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop();
    for (const c of children.get(next ?? null) ?? []) {
      out.push(c.id);
      stack.push(c.id);
    }
  }
  return out;
}

/**
 * The tasks "errors only" shows, in their order: the problem tasks, the ancestors of
 * each (context: where in the tree it failed) and `alsoId` (the selection, so it does
 * not vanish) with its ancestors. `TaskIndex.errorIds`.
 */
export function errorsOnly(tasks: readonly TaskSummaryView[], byId: ReadonlyMap<string, TaskSummaryView>, alsoId: string | null = null): TaskSummaryView[] {
  const keep = new Set<string>();
  for (const t of tasks) if (PROBLEM_STATUSES.has(t.status)) addWithAncestors(keep, t.id, byId);
  if (alsoId !== null) addWithAncestors(keep, alsoId, byId);
  return tasks.filter((t) => keep.has(t.id));
}

const parse = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

/** The tasks' times, aligned with `tasks` by index: `TaskIndex.times()`. */
export function taskTimes(tasks: readonly TaskSummaryView[]): TaskTimes {
  const start = new Float64Array(tasks.length);
  const end = new Float64Array(tasks.length);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let running = false;
  for (let i = 0; i < tasks.length; i++) {
    const t = tasks[i];
    if (!t) continue;
    const e = parse(t.endedAt);
    const s = t.startedAt === null ? e : parse(t.startedAt);
    start[i] = s;
    end[i] = e;
    if (t.status === "running" && t.endedAt === null) running = true;
    if (s < min) min = s;
    // The drawn end (spanOf): a task whose end is before its start reaches its start.
    const top = Number.isNaN(e) ? s : Math.max(e, s);
    if (top > max) max = top;
  }
  return { start, end, min, max, running };
}
