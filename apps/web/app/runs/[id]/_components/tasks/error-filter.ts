import type { TaskStatus, TaskSummaryView } from "@runtrail/db";

/** What "errors only" keeps: tasks that failed, and those cancelled (a run cut short). */
export const PROBLEM_STATUSES: ReadonlySet<TaskStatus> = new Set(["failed", "cancelled"]);

/** The ids of `id`'s known ancestors, nearest first (stops at a missing parent or a cycle). */
export function ancestorsOf(id: string, byId: ReadonlyMap<string, TaskSummaryView>): string[] {
  const out: string[] = [];
  const seen = new Set([id]);
  let parent = byId.get(id)?.parentTaskId ?? null;
  while (parent !== null && byId.has(parent) && !seen.has(parent)) {
    out.push(parent);
    seen.add(parent);
    parent = byId.get(parent)?.parentTaskId ?? null;
  }
  return out;
}

/** Adds `id` and its known ancestors to `keep`, stopping at the first one already there (so each task is walked once). */
export function addWithAncestors(keep: Set<string>, id: string, byId: ReadonlyMap<string, { parentTaskId: string | null }>): Set<string> {
  let current: string | null = id;
  while (current !== null && byId.has(current) && !keep.has(current)) {
    keep.add(current);
    current = byId.get(current)?.parentTaskId ?? null;
  }
  return keep;
}

const endOrInfinity = (t: TaskSummaryView) => (t.endedAt === null ? Number.POSITIVE_INFINITY : Date.parse(t.endedAt));

/**
 * The failed tasks in the order they failed (by end time): the first is where the run
 * first went wrong, which is often a child of the task that started first and failed
 * last. A group fails because a child did, often in the same millisecond, so on a tie a
 * failed task with a failed child goes after that child; remaining ties keep timeline
 * order, and failures without an end time go last. The failure banner names the first.
 */
export function failureOrder(tasks: readonly TaskSummaryView[]): TaskSummaryView[] {
  const failedParents = new Set<string>();
  for (const t of tasks) if (t.status === "failed" && t.parentTaskId !== null) failedParents.add(t.parentTaskId);
  const failed: { task: TaskSummaryView; end: number; group: number; index: number }[] = [];
  tasks.forEach((task, index) => {
    if (task.status === "failed") failed.push({ task, end: endOrInfinity(task), group: failedParents.has(task.id) ? 1 : 0, index });
  });
  failed.sort((a, b) => a.end - b.end || a.group - b.group || a.index - b.index);
  return failed.map((f) => f.task);
}

/** The failure after (step 1) or before (step -1) `currentId` in `failures`, wrapping around. */
export function stepFailure(failures: readonly TaskSummaryView[], currentId: string | null, step: 1 | -1): TaskSummaryView | null {
  if (failures.length === 0) return null;
  const at = currentId === null ? -1 : failures.findIndex((f) => f.id === currentId);
  if (at < 0) return (step === 1 ? failures[0] : failures[failures.length - 1]) ?? null;
  return failures[(at + step + failures.length) % failures.length] ?? null;
}
