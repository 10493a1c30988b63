import Link from "next/link";
import { OVERVIEW_RANGES, type OverviewRangeKey } from "./window";

/** Segmented links: the range lives in the URL, so each choice is a plain navigation. */
export function RangePicker({ current }: { current: OverviewRangeKey }) {
  return (
    <nav aria-label="Time range" className="inline-flex rounded-lg bg-white p-0.5 shadow-sm ring-1 ring-zinc-200">
      {OVERVIEW_RANGES.map((r) => {
        const active = r.key === current;
        return (
          <Link
            key={r.key}
            href={`/overview?range=${r.key}`}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1 text-sm font-medium tabular-nums ${active ? "bg-zinc-900 text-white" : "text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900"}`}
          >
            {r.label}
          </Link>
        );
      })}
    </nav>
  );
}
