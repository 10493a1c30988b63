import type { TaskSummaryView } from "@runtrail/db";

/** A task as the run page holds it, for tests: a completed task with no times, but for `fields`. */
export function summaryTask(id: string, fields: Partial<TaskSummaryView> = {}): TaskSummaryView {
  return {
    id,
    runId: "r",
    parentTaskId: null,
    name: id,
    status: "completed",
    errorMessage: null,
    statusMessage: null,
    progress: null,
    usage: null,
    seq: null,
    version: 1,
    startedAt: null,
    endedAt: null,
    durationMs: null,
    ...fields,
  };
}
