"use client";

import type { RunComparison, RunView } from "@runtrail/db";
import Link from "next/link";
import { useMemo } from "react";
import { formatDateTime, formatDuration, shortId } from "@/lib/format";
import { barScale, type CompareRow, countKinds, describeRow, formatRatio, formatSignedMs, type RowKind } from "./compare-rows";
import { useComparison } from "./use-comparison";

const THIS_BAR: Record<RowKind, string> = {
  failed: "bg-run-failed",
  new: "bg-run-running",
  missing: "bg-run-running",
  slower: "bg-run-timed_out",
  faster: "bg-run-completed",
  same: "bg-run-running",
};
const CHANGE_TEXT: Record<RowKind, string> = {
  failed: "text-rose-700",
  new: "text-zinc-500",
  missing: "text-zinc-500",
  slower: "text-rose-700",
  faster: "text-emerald-700",
  same: "text-zinc-400",
};
const SUMMARY: { kind: RowKind; label: string; cls: string }[] = [
  { kind: "failed", label: "failed", cls: "bg-rose-50 text-rose-700 ring-rose-600/20" },
  { kind: "slower", label: "slower", cls: "bg-orange-50 text-orange-800 ring-orange-600/20" },
  { kind: "faster", label: "faster", cls: "bg-emerald-50 text-emerald-700 ring-emerald-600/20" },
  { kind: "new", label: "new", cls: "bg-sky-50 text-sky-700 ring-sky-600/20" },
  { kind: "missing", label: "missing", cls: "bg-zinc-100 text-zinc-600 ring-zinc-500/20" },
  { kind: "same", label: "about the same", cls: "bg-zinc-50 text-zinc-500 ring-zinc-500/10" },
];

function Bar({ ms, scale, cls, label }: { ms: number | null; scale: number; cls: string; label: string }) {
  return (
    <div className="flex items-center gap-2" title={label}>
      <div className="h-2 flex-1 overflow-hidden rounded-full bg-zinc-100">
        {ms !== null && <div className={`h-full rounded-full ${cls}`} style={{ width: `${Math.max((ms / scale) * 100, ms > 0 ? 0.8 : 0)}%` }} />}
      </div>
      <span className="w-16 shrink-0 text-right text-xs text-zinc-600 tabular-nums">{ms === null ? "—" : formatDuration(ms)}</span>
    </div>
  );
}

function Row({ row, scale, onShowTask }: { row: CompareRow; scale: number; onShowTask: (name: string) => void }) {
  const { run, baseline, kind } = row;
  const count = run && baseline && run.count !== baseline.count ? `${run.count} / ${baseline.count}` : String((run ?? baseline)?.count ?? 0);
  return (
    <tr className={kind === "failed" ? "bg-rose-50/60" : undefined} data-testid="compare-row" data-task-name={row.name} data-kind={kind}>
      <td className="max-w-72 py-2 pr-3 pl-5 align-middle">
        <div className="flex min-w-0 items-center gap-2">
          {run ? (
            <button type="button" onClick={() => onShowTask(row.name)} className="truncate text-left font-medium text-zinc-800 hover:text-sky-700 hover:underline" title={`Show “${row.name}” on the timeline`}>
              {row.name || "unnamed"}
            </button>
          ) : (
            <span className="truncate text-zinc-500" title={row.name}>
              {row.name || "unnamed"}
            </span>
          )}
          {kind === "failed" && run && <span className="shrink-0 rounded-full bg-rose-100 px-1.5 py-px text-[11px] font-medium text-rose-700">{run.failed} failed</span>}
          {kind === "new" && <span className="shrink-0 rounded-full bg-sky-50 px-1.5 py-px text-[11px] font-medium text-sky-700">new</span>}
          {kind === "missing" && <span className="shrink-0 rounded-full bg-zinc-100 px-1.5 py-px text-[11px] font-medium text-zinc-600">missing</span>}
        </div>
      </td>
      <td className="px-3 py-2 text-right text-xs text-zinc-500 tabular-nums">{count}</td>
      <td className="w-[42%] px-3 py-2">
        <div className="space-y-1">
          <Bar ms={run ? run.totalMs : null} scale={scale} cls={THIS_BAR[kind]} label={run ? `This run: ${formatDuration(run.totalMs)} in total, longest ${formatDuration(run.maxMs)}` : "Not in this run"} />
          <Bar ms={baseline ? baseline.totalMs : null} scale={scale} cls="bg-zinc-300" label={baseline ? `Baseline: ${formatDuration(baseline.totalMs)} in total, longest ${formatDuration(baseline.maxMs)}` : "Not in the baseline"} />
        </div>
      </td>
      <td className={`py-2 pr-5 pl-3 text-right text-xs tabular-nums ${CHANGE_TEXT[kind]}`}>
        {row.deltaMs === null ? (
          <span className="text-zinc-400">—</span>
        ) : (
          <>
            <div className="font-medium">{formatSignedMs(row.deltaMs)}</div>
            {row.deltaRatio !== null && <div className="opacity-80">{formatRatio(row.deltaRatio)}</div>}
          </>
        )}
      </td>
    </tr>
  );
}

function Header({ run, data }: { run: RunView; data: RunComparison & { baseline: NonNullable<RunComparison["baseline"]> } }) {
  const b = data.baseline;
  const delta = run.durationMs !== null && b.durationMs !== null ? run.durationMs - b.durationMs : null;
  return (
    <div className="flex flex-wrap items-start gap-x-8 gap-y-3 border-b border-zinc-100 px-5 py-4">
      <div className="min-w-0">
        <p className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Compared with the last successful run</p>
        <p className="mt-0.5 text-sm">
          <Link href={`/runs/${encodeURIComponent(b.id)}`} className="font-semibold text-sky-700 hover:underline" data-testid="baseline-link">
            {b.name} <span className="font-mono text-xs font-normal">{shortId(b.id)}</span>
          </Link>
        </p>
        <p className="mt-0.5 text-xs text-zinc-500">
          Started {formatDateTime(b.startedAt)} · took {formatDuration(b.durationMs)} · {b.taskCounts.total.toLocaleString("en-US")} tasks
        </p>
      </div>
      <dl className="ml-auto flex gap-6 text-sm">
        <div>
          <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">This run</dt>
          <dd className="mt-0.5 font-medium tabular-nums">{run.durationMs === null ? "running" : formatDuration(run.durationMs)}</dd>
        </div>
        <div>
          <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Baseline</dt>
          <dd className="mt-0.5 font-medium tabular-nums">{formatDuration(b.durationMs)}</dd>
        </div>
        {delta !== null && (
          <div>
            <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Change</dt>
            <dd className={`mt-0.5 font-medium tabular-nums ${delta > 0 ? "text-rose-700" : "text-emerald-700"}`}>
              {formatSignedMs(delta)}
              {b.durationMs ? <span className="ml-1 text-xs font-normal opacity-80">({formatRatio(delta / b.durationMs)})</span> : null}
            </dd>
          </div>
        )}
      </dl>
    </div>
  );
}

function EmptyState({ run }: { run: RunView }) {
  return (
    <div className="px-6 py-14 text-center" data-testid="compare-empty">
      <svg viewBox="0 0 24 24" className="mx-auto size-10 text-zinc-300" aria-hidden="true">
        <path fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" d="M4 6h10M4 12h16M4 18h7M18 4l2 2-2 2M16 16l2 2-2 2" />
      </svg>
      <p className="mt-3 text-sm font-medium text-zinc-800">Nothing to compare with yet</p>
      <p className="mx-auto mt-1 max-w-md text-sm text-zinc-500">
        {run.name
          ? `No run named “${run.name}” completed before this one (looking back up to 1,000 runs). Once one does, later runs are compared with it task by task.`
          : "This run has no name yet, so there is no earlier run of the same name to compare with."}
      </p>
    </div>
  );
}

/** This run beside the last completed run of its name: per task name, durations side by side, worst first. */
export function CompareView({ run, onShowTask }: { run: RunView; onShowTask: (name: string) => void }) {
  const comparison = useComparison(run.id, run.status);
  const rows = useMemo(() => (comparison.state === "ready" ? comparison.data.names.map(describeRow) : []), [comparison]);
  const scale = useMemo(() => barScale(rows), [rows]);
  const kinds = useMemo(() => countKinds(rows), [rows]);
  return (
    <section className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm" aria-label="Comparison with the last successful run" data-testid="compare-view">
      {comparison.state === "loading" && (
        <div className="space-y-3 p-5" aria-busy="true" data-testid="compare-loading">
          {[0, 1, 2, 3].map((i) => (
            <div key={i} className="h-4 animate-pulse rounded bg-zinc-100" style={{ width: `${90 - i * 15}%` }} />
          ))}
        </div>
      )}
      {comparison.state === "error" && (
        <p className="m-5 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Could not load the comparison ({comparison.message}).{" "}
          <button type="button" onClick={comparison.retry} className="font-medium underline underline-offset-2">
            Try again
          </button>
        </p>
      )}
      {comparison.state === "ready" && !comparison.data.baseline && <EmptyState run={run} />}
      {comparison.state === "ready" && comparison.data.baseline && (
        <>
          <Header run={run} data={{ ...comparison.data, baseline: comparison.data.baseline }} />
          <div className="flex flex-wrap items-center gap-2 px-5 py-3">
            {SUMMARY.filter((s) => kinds[s.kind] > 0).map((s) => (
              <span key={s.kind} className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${s.cls}`}>
                {kinds[s.kind]} {s.label}
              </span>
            ))}
            <span className="ml-auto flex items-center gap-3 text-xs text-zinc-500" aria-hidden="true">
              <span className="flex items-center gap-1.5">
                this run
                <span className="flex gap-0.5">
                  <span className="h-2 w-2 rounded-full bg-run-failed" title="failed" />
                  <span className="h-2 w-2 rounded-full bg-run-timed_out" title="slower" />
                  <span className="h-2 w-2 rounded-full bg-run-completed" title="faster" />
                  <span className="h-2 w-2 rounded-full bg-run-running" title="about the same, new or missing" />
                </span>
              </span>
              <span className="flex items-center gap-1.5">
                baseline <span className="h-2 w-3.5 rounded-full bg-zinc-300" />
              </span>
            </span>
          </div>
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <thead className="border-y border-zinc-100 bg-zinc-50 text-left text-[11px] font-medium tracking-wide text-zinc-400 uppercase">
                <tr>
                  <th className="py-2 pr-3 pl-5 font-medium">Task name</th>
                  <th className="px-3 py-2 text-right font-medium" title="Tasks of this name: this run / baseline">
                    Tasks
                  </th>
                  <th className="px-3 py-2 font-medium" title="Sum of the durations of the tasks of this name">
                    Total duration
                  </th>
                  <th className="py-2 pr-5 pl-3 text-right font-medium">Change</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {rows.map((row) => (
                  <Row key={row.name} row={row} scale={scale} onShowTask={onShowTask} />
                ))}
              </tbody>
            </table>
          </div>
          {comparison.data.nameCount > rows.length && (
            <p className="border-t border-zinc-100 px-5 py-2.5 text-xs text-zinc-500">
              Showing the {rows.length.toLocaleString("en-US")} most changed of {comparison.data.nameCount.toLocaleString("en-US")} task names.
            </p>
          )}
        </>
      )}
    </section>
  );
}
