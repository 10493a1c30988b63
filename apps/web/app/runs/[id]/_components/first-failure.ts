import type { TaskSummaryView } from "@runtrail/db";

/**
 * The failed task the failure banner names: the one that ended first. A group fails
 * because a child did, after it, so the earliest failure is usually the cause; ties
 * (and failures without an end time) go to the earlier task in timeline order.
 */
export function firstFailure(tasks: readonly TaskSummaryView[]): TaskSummaryView | null {
  let found: TaskSummaryView | null = null;
  let foundEnd = Number.POSITIVE_INFINITY;
  for (const t of tasks) {
    if (t.status !== "failed") continue;
    const end = t.endedAt ? Date.parse(t.endedAt) : Number.POSITIVE_INFINITY;
    if (!found || end < foundEnd) {
      found = t;
      foundEnd = end;
    }
  }
  return found;
}
