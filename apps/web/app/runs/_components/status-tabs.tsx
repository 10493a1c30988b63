import type { RunStatus } from "@runtrail/db";
import Link from "next/link";

const TABS: { label: string; status?: RunStatus }[] = [
  { label: "All" },
  { label: "Running", status: "running" },
  { label: "Completed", status: "completed" },
  { label: "Failed", status: "failed" },
  { label: "Cancelled", status: "cancelled" },
  { label: "Timed out", status: "timed_out" },
];

export function StatusTabs({ current }: { current: RunStatus | undefined }) {
  return (
    <nav className="flex rounded-lg bg-zinc-100 p-1 text-sm" aria-label="Filter by status">
      {TABS.map((t) => {
        const active = t.status === current;
        return (
          <Link
            key={t.label}
            href={t.status ? `/runs?status=${t.status}` : "/runs"}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 font-medium transition ${active ? "bg-white text-zinc-900 shadow-sm" : "text-zinc-500 hover:text-zinc-800"}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
