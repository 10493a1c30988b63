import Link from "next/link";
import { EmptyIcon } from "@/components/empty-icon";

/** No runs started in the range: say so, and how to get some. */
export function EmptyRange({ rangeLabel, hasWider }: { rangeLabel: string; hasWider: boolean }) {
  return (
    <div data-testid="overview-empty" className="rounded-xl border border-dashed border-zinc-300 bg-white px-8 py-14 text-center">
      <EmptyIcon kind="runs" />
      <h2 className="mt-4 text-lg font-semibold">No runs in the {rangeLabel}</h2>
      <p className="mx-auto mt-2 max-w-lg text-sm text-zinc-600">
        Charts appear once your instrumented code records runs. To see them with example data, run{" "}
        <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-[13px]">npm run demo</code> against this server.
      </p>
      <div className="mt-5 flex justify-center gap-2 text-sm">
        {hasWider && (
          <Link href="/overview?range=30d" className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700">
            Show the last 30 days
          </Link>
        )}
        <Link href="/runs" className="rounded-md px-3 py-1.5 font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50">
          Go to runs
        </Link>
      </div>
    </div>
  );
}
