"use client";

import type { RunView as Run } from "@runtrail/db";
import { useCallback, useMemo, useState } from "react";
import { decodeTasks, type EncodedTasks } from "@/lib/timeline-codec";
import { CompareView } from "./compare/compare-view";
import { RunHeader } from "./header/run-header";
import { RunPanel } from "./panel/run-panel";
import { TaskPanel } from "./panel/task-panel";
import { Timeline } from "./timeline/timeline";
import { TimelineLoading } from "./live/timeline-loading";
import { useLiveRun } from "./live/use-live-run";
import { useNow } from "./live/use-now";
import { type RunPageView, ViewTabs } from "./header/view-tabs";

interface Props {
  run: Run;
  /** The run's first tasks and the ones the page needs at once (the first failures, a linked task). */
  tasks: EncodedTasks;
  /** Where the tasks after the first ones stream from (lib/timeline-url.ts); null when the page holds them all. */
  rest: string | null;
  initialTaskId: string | null;
  /** The server's clock when it rendered the page: the first client render must show the same durations. */
  renderedAt: number;
  initialView?: RunPageView;
}

/**
 * The run page below the layout: header, failure banner, timeline and the detail
 * panel, kept current over the run's live stream while it runs.
 */
export function RunView({ run: initialRun, tasks: encoded, rest, initialTaskId, renderedAt, initialView = "timeline" }: Props) {
  const initialTasks = useMemo(() => decodeTasks(initialRun.id, encoded), [initialRun.id, encoded]);
  const { run, tasks: live, revision, connection, loading, retryLoading } = useLiveRun(initialRun, initialTasks, rest);
  const tasks = live.ordered;
  const now = useNow(run.status === "running" || run.taskCounts.running > 0, renderedAt);
  const [selectedId, setSelectedId] = useState<string | null>(initialTaskId);
  const [view, setView] = useState<RunPageView>(initialView);

  const select = useCallback((id: string | null) => {
    setSelectedId(id);
    setView("timeline");
    const url = new URL(window.location.href);
    if (id) url.searchParams.set("task", id);
    else url.searchParams.delete("task");
    url.searchParams.delete("view");
    window.history.replaceState(null, "", url);
  }, []);
  const show = useCallback((next: RunPageView) => {
    setView(next);
    const url = new URL(window.location.href);
    if (next === "compare") url.searchParams.set("view", "compare");
    else url.searchParams.delete("view");
    window.history.replaceState(null, "", url);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the index changes in place; a new revision is a new lookup
  const taskName = useCallback((id: string) => live.byId.get(id)?.name ?? null, [live, revision]);
  const showTaskNamed = (name: string) => {
    const first = tasks.find((t) => t.name === name);
    if (first) select(first.id);
  };

  const selected = (selectedId && live.byId.get(selectedId)) || null;
  // The first task to fail: where the timeline's "First failure" goes too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the index changes in place; the revision says when
  const firstFailed = useMemo(() => live.failures()[0] ?? null, [live, revision]);

  return (
    <div className="space-y-6">
      <RunHeader run={run} connection={connection} now={now} />
      <div className="space-y-4">
        {(run.status === "failed" || firstFailed) && (
          <div className="flex items-start gap-3 rounded-xl border border-rose-200 bg-rose-50 px-4 py-3" role="alert" data-testid="failure-banner">
            <svg viewBox="0 0 20 20" className="mt-0.5 size-5 shrink-0 text-rose-500" aria-hidden="true">
              <path fill="currentColor" d="M10 1.5a8.5 8.5 0 110 17 8.5 8.5 0 010-17zm0 11.75a1.1 1.1 0 100 2.2 1.1 1.1 0 000-2.2zM10 5a1 1 0 00-1 1v5a1 1 0 002 0V6a1 1 0 00-1-1z" />
            </svg>
            <div className="min-w-0 flex-1 text-sm">
              {firstFailed ? (
                <p className="text-rose-900">
                  <span className="font-semibold">Failed at task “{firstFailed.name}”</span>
                  {firstFailed.errorMessage && <span className="text-rose-800">: {firstFailed.errorMessage}</span>}
                </p>
              ) : (
                <p className="text-rose-900">
                  <span className="font-semibold">Run failed</span>
                  {run.errorMessage && <span className="text-rose-800">: {run.errorMessage}</span>}
                </p>
              )}
            </div>
            <div className="flex shrink-0 flex-wrap justify-end gap-2">
              {firstFailed && (
                <button type="button" onClick={() => select(firstFailed.id)} className="rounded-md bg-white px-3 py-1 text-xs font-medium text-rose-700 ring-1 ring-rose-200 hover:bg-rose-100">
                  Show task
                </button>
              )}
              <button type="button" onClick={() => show("compare")} className="rounded-md bg-white px-3 py-1 text-xs font-medium text-rose-700 ring-1 ring-rose-200 hover:bg-rose-100">
                Compare with last success
              </button>
            </div>
          </div>
        )}
        <ViewTabs view={view} onChange={show} />
        {view === "compare" ? (
          <div role="tabpanel" id="run-view-compare" aria-labelledby="run-tab-compare">
            <CompareView run={run} onShowTask={showTaskNamed} />
          </div>
        ) : (
          <div role="tabpanel" id="run-view-timeline" aria-labelledby="run-tab-timeline" className="grid items-start gap-4 xl:grid-cols-[1fr_400px]">
            <Timeline run={run} index={live} revision={revision} now={now} selectedId={selected?.id ?? null} onSelect={select} />
            <div className="xl:sticky xl:top-20">
              {selected ? (
                <TaskPanel run={run} task={selected} parent={(selected.parentTaskId && live.byId.get(selected.parentTaskId)) || null} now={now} onSelect={select} />
              ) : (
                <RunPanel run={run} taskName={taskName} onSelect={select} />
              )}
            </div>
          </div>
        )}
        <TimelineLoading loading={loading} loaded={live.byId.size} total={run.taskCounts.total} onRetry={retryLoading} />
      </div>
    </div>
  );
}
