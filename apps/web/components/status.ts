import type { RunStatus, TaskStatus } from "@runtrail/db";

export type AnyStatus = RunStatus | TaskStatus;

/** One place for status colours and labels: badges, bars and the legend agree. */
export const STATUS_STYLE: Record<AnyStatus, { label: string; dot: string; bar: string; badge: string }> = {
  running: { label: "Running", dot: "bg-run-running", bar: "bg-run-running bar-running animate-stripes", badge: "bg-blue-50 text-blue-700 ring-blue-600/20" },
  completed: { label: "Completed", dot: "bg-run-completed", bar: "bg-run-completed", badge: "bg-emerald-50 text-emerald-700 ring-emerald-600/20" },
  failed: { label: "Failed", dot: "bg-run-failed", bar: "bg-run-failed", badge: "bg-rose-50 text-rose-700 ring-rose-600/20" },
  skipped: { label: "Skipped", dot: "bg-run-skipped", bar: "bg-run-skipped bar-skipped", badge: "bg-zinc-100 text-zinc-600 ring-zinc-500/20" },
  cancelled: { label: "Cancelled", dot: "bg-run-cancelled", bar: "bg-run-cancelled", badge: "bg-amber-50 text-amber-800 ring-amber-600/20" },
  timed_out: { label: "Timed out", dot: "bg-run-timed_out", bar: "bg-run-timed_out", badge: "bg-orange-50 text-orange-800 ring-orange-600/20" },
};
