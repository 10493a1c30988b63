import type { Metadata } from "next";
import { Suspense } from "react";
import { requireProject } from "@/lib/auth/viewer";
import { pathWithQuery } from "@/lib/auth/next-path";
import { FailureRatePanel } from "./_components/failure-rate-panel";
import { HeadlineSkeleton, HeadlineStats } from "./_components/headline-stats";
import { OverviewGate } from "./_components/overview-gate";
import { PanelSkeleton } from "./_components/panel";
import { RangePicker } from "./_components/range-picker";
import { RunsByStatusPanel } from "./_components/runs-by-status-panel";
import { TaskDurationsPanel } from "./_components/task-durations-panel";
import { UsagePanel } from "./_components/usage-panel";
import { OVERVIEW_RANGES, readRange, windowOf } from "./_components/window";

export const metadata: Metadata = { title: "Overview" };

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function OverviewPage({ searchParams }: { searchParams: Search }) {
  const search = await searchParams;
  await requireProject(pathWithQuery("/overview", search));
  const range = readRange(search.range);
  const w = windowOf(range, Date.now());
  const win = { fromMs: w.from.getTime(), toMs: w.to.getTime(), bucketMs: w.bucketMs };
  const { bucketLabel } = range;
  const widest = OVERVIEW_RANGES[OVERVIEW_RANGES.length - 1]?.key === range.key;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
          <p className="mt-1 text-sm text-zinc-500">How your runs went in the {range.long}: volume, failures, durations and spend.</p>
        </div>
        <RangePicker current={range.key} />
      </div>
      <Suspense
        key={range.key}
        fallback={
          <div className="space-y-6">
            <HeadlineSkeleton />
          </div>
        }
      >
        <OverviewGate fromMs={win.fromMs} toMs={win.toMs} rangeLabel={range.long} isWidest={widest}>
          <div className="space-y-6">
            <Suspense fallback={<HeadlineSkeleton />}>
              <HeadlineStats fromMs={win.fromMs} toMs={win.toMs} rangeLabel={range.long} />
            </Suspense>
            <div className="grid gap-6 xl:grid-cols-2">
              <Suspense fallback={<PanelSkeleton title="Runs over time" />}>
                <RunsByStatusPanel {...win} bucketLabel={bucketLabel} />
              </Suspense>
              <Suspense fallback={<PanelSkeleton title="Failure rate" />}>
                <FailureRatePanel {...win} bucketLabel={bucketLabel} />
              </Suspense>
              <Suspense fallback={<PanelSkeleton title="Task durations" height={336} />}>
                <TaskDurationsPanel {...win} />
              </Suspense>
              <Suspense fallback={<PanelSkeleton title="Tokens and cost" height={336} />}>
                <UsagePanel {...win} bucketLabel={bucketLabel} />
              </Suspense>
            </div>
          </div>
        </OverviewGate>
      </Suspense>
    </div>
  );
}
