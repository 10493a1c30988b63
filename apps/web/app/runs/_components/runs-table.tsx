import type { RunSummaryView } from "@runtrail/db";
import Link from "next/link";
import { isOtlpRun, OtlpMarker, plainTags } from "@/components/otlp-marker";
import { STATUS_STYLE } from "@/components/status";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime, formatDuration, formatRelative, shortId } from "@/lib/format";

function TaskMix({ counts }: { counts: RunSummaryView["taskCounts"] }) {
  if (counts.total === 0) return <span className="text-zinc-400">no tasks</span>;
  const parts = (["completed", "running", "failed", "cancelled", "skipped"] as const).filter((s) => counts[s] > 0);
  return (
    <div className="flex items-center gap-3">
      <div className="flex h-1.5 w-24 overflow-hidden rounded-full bg-zinc-100">
        {parts.map((s) => (
          <div key={s} className={STATUS_STYLE[s].dot} style={{ width: `${(counts[s] / counts.total) * 100}%` }} />
        ))}
      </div>
      <span className="tabular-nums text-zinc-600">
        {counts.total}
        {counts.failed > 0 && <span className="ml-1.5 text-rose-600">· {counts.failed} failed</span>}
      </span>
    </div>
  );
}

export function RunsTable({ runs }: { runs: RunSummaryView[] }) {
  const now = Date.now();
  return (
    <table className="w-full text-left text-sm">
      <thead className="border-b border-zinc-200 bg-zinc-50/70 text-xs font-medium tracking-wide text-zinc-500 uppercase">
        <tr>
          <th className="px-4 py-2.5 font-medium">Status</th>
          <th className="px-4 py-2.5 font-medium">Run</th>
          <th className="px-4 py-2.5 font-medium">Started</th>
          <th className="px-4 py-2.5 text-right font-medium">Duration</th>
          <th className="px-4 py-2.5 font-medium">Tasks</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {runs.map((r) => (
          <tr key={r.id} className="group relative hover:bg-zinc-50" data-testid="run-row">
            <td className="px-4 py-3">
              <StatusBadge status={r.status} />
            </td>
            <td className="px-4 py-3">
              <Link href={`/runs/${encodeURIComponent(r.id)}`} className="font-medium text-zinc-900 outline-none after:absolute after:inset-0 focus-visible:after:ring-2 focus-visible:after:ring-focus focus-visible:after:ring-inset">
                {r.name || <span className="text-zinc-400 italic">unnamed run</span>}
              </Link>
              <div className="mt-0.5 flex items-center gap-2">
                <span className="font-mono text-xs text-zinc-400">{shortId(r.id)}</span>
                {isOtlpRun(r.tags) && <OtlpMarker compact />}
                {plainTags(r.tags).slice(0, 4).map((t) => (
                  <span key={t} className="rounded bg-zinc-100 px-1.5 py-px text-[11px] text-zinc-600">
                    {t}
                  </span>
                ))}
              </div>
            </td>
            <td className="px-4 py-3 text-zinc-600" title={formatDateTime(r.startedAt)}>
              {formatRelative(r.startedAt, now)}
            </td>
            <td className="px-4 py-3 text-right tabular-nums text-zinc-700">
              {r.status === "running" ? <span className="text-blue-600">{formatDuration(now - Date.parse(r.startedAt))}…</span> : formatDuration(r.durationMs)}
            </td>
            <td className="px-4 py-3">
              <TaskMix counts={r.taskCounts} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
