import { PageHeadingSkeleton } from "@/components/page-heading-skeleton";

const bar = "animate-pulse rounded bg-zinc-100";

/**
 * The runs list's shape while it loads: title and status tabs, the filter bar, the table.
 * The list lives in the (list) route group so that this skeleton wraps the list alone:
 * at app/runs/ it also wrapped /runs/[id], and opening a run showed a table skeleton.
 */
export default function Loading() {
  return (
    <div className="space-y-4" role="status" aria-busy="true" aria-label="Loading runs">
      <PageHeadingSkeleton titleWidth="w-24" descriptionWidth="w-80">
        <div className="h-[38px] w-[575px] max-w-full animate-pulse rounded-lg bg-zinc-100" />
      </PageHeadingSkeleton>
      <div className="flex flex-wrap gap-2">
        {["w-64", "w-44", "w-36"].map((w) => (
          <div key={w} className={`h-8 ${w} rounded-md bg-white ring-1 ring-zinc-200`} />
        ))}
        <div className="h-8 w-16 animate-pulse rounded-md bg-zinc-200" />
      </div>
      <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm">
        <div className="grid h-9 grid-cols-[16%_29%_18%_12%_1fr] items-center border-b border-zinc-200 bg-zinc-50/70 px-4">
          {["w-12", "w-10", "w-14", "ml-auto mr-4 w-16", "w-10"].map((w) => (
            <div key={w} className={`h-2.5 ${w} ${bar} bg-zinc-200`} />
          ))}
        </div>
        {Array.from({ length: 8 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
          <div key={i} className="grid h-[62px] grid-cols-[16%_29%_18%_12%_1fr] items-center border-b border-zinc-100 px-4 last:border-0">
            <div className="h-5 w-24 animate-pulse rounded-full bg-zinc-100" />
            <div className="space-y-1.5">
              <div className={`h-3.5 ${i % 3 === 0 ? "w-28" : i % 3 === 1 ? "w-36" : "w-24"} ${bar} bg-zinc-200`} />
              <div className={`h-3 w-44 ${bar}`} />
            </div>
            <div className={`h-3.5 w-20 ${bar}`} />
            <div className={`mr-4 ml-auto h-3.5 w-14 ${bar}`} />
            <div className="flex items-center gap-3">
              <div className="h-1.5 w-24 animate-pulse rounded-full bg-zinc-200" />
              <div className={`h-3.5 w-6 ${bar}`} />
            </div>
          </div>
        ))}
      </div>
    </div>
  );
}
