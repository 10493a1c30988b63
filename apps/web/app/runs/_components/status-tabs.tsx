import type { RunStatus, RunStatusCount } from "@runtrail/db";
import Link from "next/link";
import { runsHref } from "./list-params";

const TABS: { label: string; status?: RunStatus }[] = [
  { label: "All" },
  { label: "Running", status: "running" },
  { label: "Completed", status: "completed" },
  { label: "Failed", status: "failed" },
  { label: "Cancelled", status: "cancelled" },
  { label: "Timed out", status: "timed_out" },
];

function formatCount(c: RunStatusCount): string {
  if (c.capped) return `${Math.floor(c.count / 1000)}k+`;
  return c.count >= 1000 ? `${(c.count / 1000).toFixed(1)}k` : String(c.count);
}

/** Status tabs keep the other filters; each shows how many runs of that status match them. */
export function StatusTabs({
  current,
  params,
  counts,
}: {
  current: RunStatus | undefined;
  params: URLSearchParams;
  counts: Record<RunStatus, RunStatusCount>;
}) {
  const values = Object.values(counts);
  const all: RunStatusCount = { count: values.reduce((n, c) => n + c.count, 0), capped: values.some((c) => c.capped) };
  return (
    <nav className="flex rounded-lg bg-zinc-100 p-1 text-sm" aria-label="Filter by status">
      {TABS.map((t) => {
        const active = t.status === current;
        const count = t.status ? counts[t.status] : all;
        return (
          <Link
            key={t.label}
            href={runsHref(params, { status: t.status })}
            aria-current={active ? "page" : undefined}
            data-testid={`status-tab-${t.status ?? "all"}`}
            className={`flex items-center gap-1.5 rounded-md px-3 py-1.5 font-medium transition ${active ? "bg-white text-zinc-900 shadow-sm dark:bg-zinc-300" : "text-zinc-500 hover:text-zinc-800"}`}
          >
            {t.label}
            <span className={`rounded-full px-1.5 text-xs tabular-nums ${active ? "bg-zinc-100 text-zinc-700" : "text-zinc-400"}`}>{formatCount(count)}</span>
          </Link>
        );
      })}
    </nav>
  );
}
