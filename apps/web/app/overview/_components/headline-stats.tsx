import { formatDuration } from "@/lib/format";
import { formatCost, formatCount } from "./chart-theme";
import { fetchRunStats } from "./data";

export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  const pct = rate * 100;
  return `${pct > 0 && pct < 10 ? pct.toFixed(1) : Math.round(pct)}%`;
}

function Stat({ id, label, value, sub }: { id: string; label: string; value: string; sub: string }) {
  return (
    <div data-testid={`stat-${id}`} className="rounded-xl border border-zinc-200 bg-white px-5 py-4 shadow-sm">
      <div className="text-xs font-medium tracking-wide text-zinc-500 uppercase">{label}</div>
      <div data-testid={`stat-${id}-value`} className="mt-1.5 text-2xl font-semibold tabular-nums tracking-tight text-zinc-900">
        {value}
      </div>
      <div className="mt-0.5 text-xs text-zinc-500">{sub}</div>
    </div>
  );
}

export async function HeadlineStats({ fromMs, toMs, rangeLabel }: { fromMs: number; toMs: number; rangeLabel: string }) {
  const s = await fetchRunStats(fromMs, toMs);
  const running = s.runs - s.finished;
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat id="runs" label="Runs" value={formatCount(s.runs)} sub={running > 0 ? `${running} still running` : `started in the ${rangeLabel}`} />
      <Stat id="failure-rate" label="Failure rate" value={formatRate(s.failureRate)} sub={`${s.failed} failed or timed out of ${s.finished} finished`} />
      <Stat id="p95" label="p95 run duration" value={formatDuration(s.p95DurationMs)} sub={`p50 ${formatDuration(s.p50DurationMs)}`} />
      <Stat id="cost" label="Total cost" value={formatCost(s.costUsd)} sub={`${formatCount(s.tokens)} tokens`} />
    </div>
  );
}

export function HeadlineSkeleton() {
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4" aria-busy="true">
      {["runs", "failure", "p95", "cost"].map((k) => (
        <div key={k} className="rounded-xl border border-zinc-200 bg-white px-5 py-4 shadow-sm">
          <div className="h-3 w-20 animate-pulse rounded bg-zinc-100" />
          <div className="mt-3 h-7 w-24 animate-pulse rounded bg-zinc-200" />
          <div className="mt-2 h-3 w-32 animate-pulse rounded bg-zinc-100" />
        </div>
      ))}
    </div>
  );
}
