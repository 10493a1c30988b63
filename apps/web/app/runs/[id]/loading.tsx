const bar = "animate-pulse rounded bg-zinc-100";

/** Where the tasks' bars sit in the placeholder timeline: [indent, left %, width %]. */
const ROWS: [number, number, number][] = [
  [0, 0, 14],
  [0, 12, 38],
  [1, 14, 22],
  [1, 20, 30],
  [2, 24, 12],
  [0, 50, 26],
  [0, 74, 18],
  [0, 90, 8],
];

/** The run page's shape while it loads: breadcrumb, header card, timeline and detail panel. */
export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-busy="true" aria-label="Loading the run">
      <div className="space-y-4">
        <div className={`h-4 w-40 ${bar} bg-zinc-200`} />
        <div className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
          <div className="flex items-center gap-3">
            <div className="h-8 w-56 animate-pulse rounded bg-zinc-200" />
            <div className="h-7 w-24 animate-pulse rounded-full bg-zinc-100" />
          </div>
          <div className="mt-5 grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-5">
            {["a", "b", "c", "d"].map((k) => (
              <div key={k}>
                <div className={`h-2.5 w-14 ${bar}`} />
                <div className={`mt-2 h-4 w-36 ${bar} bg-zinc-200`} />
              </div>
            ))}
          </div>
        </div>
      </div>
      <div className="grid items-start gap-4 xl:grid-cols-[1fr_400px]">
        <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm">
          <div className="flex h-12 items-center justify-between border-b border-zinc-100 px-4">
            <div className={`h-4 w-32 ${bar} bg-zinc-200`} />
            <div className={`h-3 w-72 ${bar}`} />
          </div>
          <div className="h-7 border-b border-zinc-100 bg-zinc-50" />
          {ROWS.map(([depth, left, width], i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
            <div key={i} className="grid h-8 grid-cols-[minmax(200px,280px)_1fr] items-center border-b border-zinc-50">
              <div style={{ paddingLeft: 34 + depth * 16 }}>
                <div className={`h-3 ${bar}`} style={{ width: 80 + ((i * 37) % 60) }} />
              </div>
              <div className="relative mr-16 ml-3 h-4">
                <div className="absolute inset-y-0 animate-pulse rounded bg-zinc-200" style={{ left: `${left}%`, width: `${width}%` }} />
              </div>
            </div>
          ))}
        </div>
        <div className="space-y-4 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
          <div className={`h-2.5 w-10 ${bar}`} />
          <div className={`h-4 w-64 ${bar}`} />
          <div className={`h-3 w-12 ${bar} bg-zinc-200`} />
          <div className="h-20 animate-pulse rounded-md bg-zinc-50 ring-1 ring-zinc-200 ring-inset" />
          <div className={`h-3 w-14 ${bar} bg-zinc-200`} />
          <div className="h-20 animate-pulse rounded-md bg-zinc-50 ring-1 ring-zinc-200 ring-inset" />
        </div>
      </div>
    </div>
  );
}
