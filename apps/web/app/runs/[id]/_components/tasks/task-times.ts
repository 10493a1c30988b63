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

/** A task's drawn span in absolute ms: an open task reaches `now` while running, else is an instant. */
export function spanOf(task: TaskSummaryView, now: number): { start: number; end: number } | null {
  const e = parse(task.endedAt);
  const s = task.startedAt === null ? e : parse(task.startedAt);
  if (Number.isNaN(s)) return null;
  if (!Number.isNaN(e)) return { start: s, end: Math.max(e, s) };
  return { start: s, end: task.status === "running" ? Math.max(now, s) : s };
}
