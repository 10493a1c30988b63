import type { TaskSummaryView } from "@runtrail/db";

/**
 * The tasks' times parsed once per change of the task list (Date.parse is the costly
 * part of every pass over 100,000 tasks), aligned with the list by index.
 */
export interface TaskTimes {
  /** Start in ms since the epoch: the start, else the end (a task seen only ending), else NaN. */
  start: Float64Array;
  /** End in ms since the epoch; NaN while the task is open (running, or its end not yet seen). */
  end: Float64Array;
  /** Earliest start and latest end over the tasks (±Infinity when none has a time). */
  min: number;
  max: number;
  /** Some task is running: the timeline's end moves with the clock. */
  running: boolean;
}

const parse = (iso: string | null) => (iso === null ? Number.NaN : Date.parse(iso));

/** A task's drawn span in absolute ms: an open task reaches `now` while running, else is an instant. */
export function spanOf(task: TaskSummaryView, now: number): { start: number; end: number } | null {
  const e = parse(task.endedAt);
  const s = task.startedAt === null ? e : parse(task.startedAt);
  if (Number.isNaN(s)) return null;
  if (!Number.isNaN(e)) return { start: s, end: Math.max(e, s) };
  return { start: s, end: task.status === "running" ? Math.max(now, s) : s };
}
