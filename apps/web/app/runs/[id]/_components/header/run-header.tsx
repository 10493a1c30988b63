import type { RunView } from "@runtrail/db";
import Link from "next/link";
import { isOtlpRun, OtlpMarker, plainTags } from "@/components/otlp-marker";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime, formatDuration } from "@/lib/format";
import { CancelRun } from "./cancel-run";
import { ExportMenu } from "./export-menu";
import type { Connection } from "../live/use-live-run";

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">{label}</dt>
      <dd className="mt-1 truncate text-sm font-medium text-zinc-800 tabular-nums">{children}</dd>
    </div>
  );
}

function LiveIndicator({ connection }: { connection: Connection }) {
  if (connection === "off") return null;
  const live = connection === "live";
  return (
    <span className={`flex items-center gap-1.5 text-xs ${live ? "text-emerald-700" : "text-zinc-500"}`} data-testid="live-indicator" data-connection={connection}>
      <span className={`size-1.5 rounded-full ${live ? "bg-emerald-500" : "animate-pulse bg-zinc-400"}`} />
      {live ? "Live" : connection === "connecting" ? "Connecting…" : "Reconnecting…"}
    </span>
  );
}

/** Name, status and key numbers of the run, the Export menu; while it runs, a live marker and the Cancel button. */
export function RunHeader({ run, connection, now }: { run: RunView; connection: Connection; now: number }) {
  const c = run.taskCounts;
  const running = run.status === "running";
  return (
    <div className="space-y-4">
      <nav className="text-sm text-zinc-500" aria-label="Breadcrumb">
        <Link href="/runs" className="hover:text-zinc-900">
          Runs
        </Link>
        <span className="mx-2 text-zinc-300" aria-hidden="true">
          /
        </span>
        <span className="text-zinc-700">{run.name || "unnamed run"}</span>
      </nav>
      <div className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight" data-testid="run-name">
            {run.name || <span className="text-zinc-400 italic">unnamed run</span>}
          </h1>
          <span data-testid="run-status" data-status={run.status}>
            <StatusBadge status={run.status} size="md" />
          </span>
          {isOtlpRun(run.tags) && <OtlpMarker service={run.metadata["service.name"]} />}
          {plainTags(run.tags).map((t) => (
            <span key={t} className="rounded-md bg-zinc-100 px-2 py-0.5 text-xs text-zinc-600">
              {t}
            </span>
          ))}
          <div className="ml-auto flex items-center gap-4">
            <LiveIndicator connection={connection} />
            <ExportMenu runId={run.id} taskCount={c.total} running={running} />
            <CancelRun runId={run.id} running={running} streaming={connection === "live"} />
          </div>
        </div>
        <dl className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
          <Stat label="Started">{formatDateTime(run.startedAt)}</Stat>
          <Stat label="Duration">{run.durationMs !== null ? formatDuration(run.durationMs) : running ? formatDuration(now - Date.parse(run.startedAt)) : "—"}</Stat>
          <Stat label="Tasks">
            {c.total}
            <span className="ml-2 font-normal text-zinc-500">
              {c.completed} ok{c.failed > 0 && <span className="text-rose-600"> · {c.failed} failed</span>}
              {c.running > 0 && <span className="text-blue-600"> · {c.running} running</span>}
              {c.cancelled > 0 && ` · ${c.cancelled} cancelled`}
              {c.skipped > 0 && ` · ${c.skipped} skipped`}
            </span>
          </Stat>
          <Stat label="Run ID">
            <span className="font-mono text-xs" title={run.id}>
              {run.id}
            </span>
          </Stat>
          {run.parentRunId && (
            <Stat label="Parent run">
              <Link href={`/runs/${encodeURIComponent(run.parentRunId)}`} className="font-mono text-xs text-sky-700 hover:underline">
                {run.parentRunId}
              </Link>
            </Stat>
          )}
        </dl>
      </div>
    </div>
  );
}
