import Link from "next/link";
import { EmptyIcon } from "@/components/empty-icon";

/** The empty list of a filter: says which filters matched nothing, and how to undo them. */
export function NoMatches({ described, clearStatusHref }: { described: string[]; clearStatusHref: string | null }) {
  return (
    <div className="px-4 py-16 text-center text-sm text-zinc-500" data-testid="no-matches">
      <EmptyIcon kind="search" />
      <p className="mt-4 font-medium text-zinc-700">No runs match these filters</p>
      <p className="mt-1">{described.length ? `Nothing with ${described.join(", ")}.` : "Nothing on this page."}</p>
      <p className="mt-3 flex justify-center gap-4">
        {clearStatusHref && (
          <Link href={clearStatusHref} className="font-medium text-zinc-700 underline underline-offset-2">
            Any status
          </Link>
        )}
        <Link href="/runs" className="font-medium text-zinc-700 underline underline-offset-2">
          Clear filters
        </Link>
      </p>
    </div>
  );
}
