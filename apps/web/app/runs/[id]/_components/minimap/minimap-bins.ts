import type { TaskStatus, TaskSummaryView } from "@runtrail/db";
import type { TaskTimes } from "../tasks/task-times";

/** Statuses in the order the minimap stacks them, bottom first: failures stay on top, in sight. */
export const MINIMAP_LAYERS: readonly TaskStatus[] = ["completed", "skipped", "cancelled", "running", "failed"];

/** An instant (a task that took no time) still counts for this much of its bin, so it shows. */
const INSTANT = 0.1;

export interface MinimapBins {
  /** Per status (MINIMAP_LAYERS order), the average number of tasks running during each bin. */
  layers: Float64Array[];
  /** The same over all statuses. */
  total: Float64Array;
  /** The largest total over the bins (at least 1). */
  peak: number;
  /** Failed tasks ending in each bin: where failures happened. */
  failures: Uint32Array;
}

/**
 * Task activity over [from, from + span] (absolute ms) in `bins` equal bins: for each
 * bin and status, how many tasks ran on average during it (each task adds the part of
 * the bin it covers, so two tasks back to back in one bin count as one, not two).
 * One pass over the tasks, with a difference array per status for the bins a task
 * covers whole, so 100,000 tasks cost a few ms. An open running task reaches `now`.
 */
export function binActivity(tasks: readonly TaskSummaryView[], times: TaskTimes, from: number, span: number, bins: number, now: number): MinimapBins {
  const n = Math.max(Math.floor(bins), 1);
  const whole = MINIMAP_LAYERS.map(() => new Float64Array(n + 1));
  const part = MINIMAP_LAYERS.map(() => new Float64Array(n));
  const layerOf = new Map(MINIMAP_LAYERS.map((s, i) => [s, i]));
  const failures = new Uint32Array(n);
  const scale = n / Math.max(span, Number.EPSILON);
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    const s = times.start[i] ?? Number.NaN;
    if (!task || Number.isNaN(s)) continue;
    const rawEnd = times.end[i] ?? Number.NaN;
    const e = Number.isNaN(rawEnd) ? (task.status === "running" ? Math.max(now, s) : s) : Math.max(rawEnd, s);
    if (e < from || s > from + span) continue;
    const l = layerOf.get(task.status) ?? 0;
    const diff = whole[l];
    const direct = part[l];
    if (!diff || !direct) continue;
    const x0 = Math.min(Math.max((s - from) * scale, 0), n);
    const x1 = Math.min(Math.max((e - from) * scale, 0), n);
    const a = Math.min(Math.floor(x0), n - 1);
    const b = Math.floor(x1);
    if (b <= a) {
      direct[a] = (direct[a] ?? 0) + (x1 > x0 ? x1 - x0 : INSTANT);
    } else {
      direct[a] = (direct[a] ?? 0) + (a + 1 - x0);
      diff[a + 1] = (diff[a + 1] ?? 0) + 1;
      diff[b] = (diff[b] ?? 0) - 1;
      if (b < n) direct[b] = (direct[b] ?? 0) + (x1 - b);
    }
    if (task.status === "failed") {
      const at = Math.min(b, n - 1);
      failures[at] = (failures[at] ?? 0) + 1;
    }
  }
  const layers = MINIMAP_LAYERS.map(() => new Float64Array(n));
  const total = new Float64Array(n);
  layers.forEach((layer, l) => {
    const diff = whole[l];
    const direct = part[l];
    let covering = 0;
    for (let x = 0; x < n; x++) {
      covering += diff?.[x] ?? 0;
      const v = covering + (direct?.[x] ?? 0);
      layer[x] = v;
      total[x] = (total[x] ?? 0) + v;
    }
  });
  let peak = 1;
  for (const v of total) if (v > peak) peak = v;
  return { layers, total, peak, failures };
}
