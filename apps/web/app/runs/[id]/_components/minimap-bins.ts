import type { TaskStatus, TaskSummaryView } from "@runtrail/db";
import type { TaskTimes } from "./task-times";

/** Statuses in the order the minimap stacks them, bottom first: failures stay on top, in sight. */
export const MINIMAP_LAYERS: readonly TaskStatus[] = ["completed", "skipped", "cancelled", "running", "failed"];

export interface MinimapBins {
  /** Per status (MINIMAP_LAYERS order), how many tasks are active during each bin. */
  layers: Uint32Array[];
  /** Tasks active during each bin, all statuses. */
  total: Uint32Array;
  /** The largest total over the bins (at least 1). */
  peak: number;
  /** Failed tasks ending in each bin: where failures happened. */
  failures: Uint32Array;
}

/**
 * Task activity over [from, from + span] (absolute ms) in `bins` equal bins: for each
 * bin and status, the number of tasks whose span overlaps it. One pass over the tasks
 * (a difference array per status, then prefix sums), so 100,000 tasks cost a few ms;
 * an open running task reaches `now`.
 */
export function binActivity(tasks: readonly TaskSummaryView[], times: TaskTimes, from: number, span: number, bins: number, now: number): MinimapBins {
  const n = Math.max(Math.floor(bins), 1);
  const diffs = MINIMAP_LAYERS.map(() => new Int32Array(n + 1));
  const layerOf = new Map(MINIMAP_LAYERS.map((s, i) => [s, i]));
  const failures = new Uint32Array(n);
  const scale = n / Math.max(span, Number.EPSILON);
  const binAt = (t: number) => Math.min(Math.max(Math.floor((t - from) * scale), 0), n - 1);
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i];
    const s = times.start[i] ?? Number.NaN;
    if (!task || Number.isNaN(s)) continue;
    const rawEnd = times.end[i] ?? Number.NaN;
    const e = Number.isNaN(rawEnd) ? (task.status === "running" ? Math.max(now, s) : s) : Math.max(rawEnd, s);
    if (e < from || s > from + span) continue;
    const diff = diffs[layerOf.get(task.status) ?? 0];
    if (!diff) continue;
    const a = binAt(s);
    const b = binAt(e);
    diff[a] = (diff[a] ?? 0) + 1;
    diff[b + 1] = (diff[b + 1] ?? 0) - 1;
    if (task.status === "failed") failures[b] = (failures[b] ?? 0) + 1;
  }
  const layers = diffs.map(() => new Uint32Array(n));
  const total = new Uint32Array(n);
  diffs.forEach((diff, l) => {
    const layer = layers[l];
    if (!layer) return;
    let running = 0;
    for (let x = 0; x < n; x++) {
      running += diff[x] ?? 0;
      layer[x] = running;
      total[x] = (total[x] ?? 0) + running;
    }
  });
  let peak = 1;
  for (const v of total) if (v > peak) peak = v;
  return { layers, total, peak, failures };
}
