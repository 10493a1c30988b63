import type { TaskSummaryView } from "@runtrail/db";

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
