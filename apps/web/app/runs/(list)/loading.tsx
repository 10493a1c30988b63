export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <div className="h-8 w-40 animate-pulse rounded bg-zinc-200" />
      <div className="overflow-hidden rounded-xl border border-zinc-200 bg-white">
        {Array.from({ length: 8 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static skeleton rows
          <div key={i} className="flex items-center gap-6 border-b border-zinc-100 px-4 py-4 last:border-0">
            <div className="h-5 w-20 animate-pulse rounded-full bg-zinc-100" />
            <div className="h-4 w-56 animate-pulse rounded bg-zinc-100" />
            <div className="ml-auto h-4 w-24 animate-pulse rounded bg-zinc-100" />
          </div>
        ))}
      </div>
    </div>
  );
}
