import { HeadlineSkeleton } from "./_components/headline-stats";
import { PanelSkeleton } from "./_components/panel";

export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <div className="h-8 w-40 animate-pulse rounded bg-zinc-200" />
      <HeadlineSkeleton />
      <div className="grid gap-6 xl:grid-cols-2">
        {["Runs over time", "Failure rate", "Task durations", "Tokens and cost"].map((t) => (
          <PanelSkeleton key={t} title={t} />
        ))}
      </div>
    </div>
  );
}
