import { PageHeadingSkeleton } from "@/components/page-heading-skeleton";
import { HeadlineSkeleton } from "./_components/headline-stats";
import { PanelSkeleton } from "./_components/panel";

/** The overview's shape while it loads: title and range picker, the four numbers, the four panels. */
export default function Loading() {
  return (
    <div className="space-y-6" role="status" aria-busy="true" aria-label="Loading the overview">
      <PageHeadingSkeleton titleWidth="w-36" descriptionWidth="w-96">
        <div className="h-8 w-48 animate-pulse rounded-lg bg-white ring-1 ring-zinc-200" />
      </PageHeadingSkeleton>
      <HeadlineSkeleton />
      <div className="grid gap-6 xl:grid-cols-2">
        <PanelSkeleton title="Runs over time" />
        <PanelSkeleton title="Failure rate" />
        <PanelSkeleton title="Task durations" height={336} />
        <PanelSkeleton title="Tokens and cost" height={336} />
      </div>
    </div>
  );
}
