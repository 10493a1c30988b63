import type { TaskSummaryView } from "@runtrail/db";
import { failureOrder } from "./error-filter";

/**
 * The failed task the failure banner names: the first in `failureOrder`, where "First
 * failure" goes too. The page reads it from `TaskIndex.failures` (task-index.ts), tested to agree.
 */
export function firstFailure(tasks: readonly TaskSummaryView[]): TaskSummaryView | null {
  return failureOrder(tasks)[0] ?? null;
}
