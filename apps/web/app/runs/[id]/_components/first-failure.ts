import type { TaskSummaryView } from "@runtrail/db";

/**
 * The failed task the failure banner names. A group fails because a child did, often
 * in the same millisecond, so a failed task with a failed child is passed over for
 * that child; among the rest the one that ended first wins, and ties (and failures
 * without an end time, which go last) go to the earlier task in timeline order.
 */
export function firstFailure(tasks: readonly TaskSummaryView[]): TaskSummaryView | null {
  const failedParents = new Set<string>();
  for (const t of tasks) if (t.status === "failed" && t.parentTaskId) failedParents.add(t.parentTaskId);
  let found: TaskSummaryView | null = null;
  let foundEnd = Number.POSITIVE_INFINITY;
  for (const t of tasks) {
    if (t.status !== "failed" || failedParents.has(t.id)) continue;
    const end = t.endedAt ? Date.parse(t.endedAt) : Number.POSITIVE_INFINITY;
    if (!found || end < foundEnd) {
      found = t;
      foundEnd = end;
    }
  }
  return found;
}
