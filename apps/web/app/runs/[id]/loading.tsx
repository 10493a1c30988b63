export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <div className="h-4 w-32 animate-pulse rounded bg-zinc-200" />
      <div className="h-32 animate-pulse rounded-xl border border-zinc-200 bg-white" />
      <div className="h-72 animate-pulse rounded-xl border border-zinc-200 bg-white" />
    </div>
  );
}
