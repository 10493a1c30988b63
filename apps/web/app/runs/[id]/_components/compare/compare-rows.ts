import type { TaskNameComparison } from "@runtrail/db";
import { formatDuration } from "@/lib/format";

/**
 * How the comparison table reads each task name: what happened to it against the
 * baseline and by how much. The order comes from the query (worst first); this only
 * labels. Pure, so it is tested without a DOM.
 */

export type RowKind = "failed" | "new" | "missing" | "slower" | "faster" | "same";

export interface CompareRow extends TaskNameComparison {
  kind: RowKind;
  /** This run's total minus the baseline's; null when either side has no task of the name. */
  deltaMs: number | null;
  /** deltaMs over the baseline's total; null when that is 0 or a side is missing. */
  deltaRatio: number | null;
}

/** Differences under this many milliseconds, or under this share of the baseline, are noise ("same"). */
export const SAME_MS = 5;
export const SAME_RATIO = 0.05;

export function describeRow(row: TaskNameComparison): CompareRow {
  const { run, baseline } = row;
  const deltaMs = run && baseline ? run.totalMs - baseline.totalMs : null;
  const deltaRatio = deltaMs !== null && baseline && baseline.totalMs > 0 ? deltaMs / baseline.totalMs : null;
  let kind: RowKind;
  if (run && run.failed > 0) kind = "failed";
  else if (!baseline) kind = "new";
  else if (!run) kind = "missing";
  else if (deltaMs === null || Math.abs(deltaMs) < SAME_MS || (deltaRatio !== null && Math.abs(deltaRatio) < SAME_RATIO)) kind = "same";
  else kind = deltaMs > 0 ? "slower" : "faster";
  return { ...row, kind, deltaMs, deltaRatio };
}

/** "+300 ms", "−1.20 s": a signed duration (a real minus sign, as in the table). */
export function formatSignedMs(ms: number): string {
  if (ms === 0) return "±0 ms";
  return `${ms > 0 ? "+" : "−"}${formatDuration(Math.abs(ms))}`;
}

/** "+300%", "−60%", "+4.2×" past +900% (big regressions read better as a factor). */
export function formatRatio(ratio: number): string {
  if (ratio >= 9) return `${(ratio + 1).toFixed(ratio + 1 >= 100 ? 0 : 1)}× slower`;
  const pct = Math.round(ratio * 100);
  return `${pct > 0 ? "+" : pct < 0 ? "−" : "±"}${Math.abs(pct)}%`;
}

/** The longest total on either side: both bars of every row are drawn against it. */
export function barScale(rows: readonly TaskNameComparison[]): number {
  let max = 1;
  for (const r of rows) max = Math.max(max, r.run?.totalMs ?? 0, r.baseline?.totalMs ?? 0);
  return max;
}

/** Counts per kind, for the summary above the table. */
export function countKinds(rows: readonly CompareRow[]): Record<RowKind, number> {
  const out: Record<RowKind, number> = { failed: 0, new: 0, missing: 0, slower: 0, faster: 0, same: 0 };
  for (const r of rows) out[r.kind] += 1;
  return out;
}
