export { openStore, redactUrl, selectRows, type Db, type Store, type StoreKind, type StoreOptions } from "./client.js";
export { migrate, MigrationMismatchError } from "./migrate.js";
export { writeEvents, HEARTBEAT, type IngestEvent, type WriteResult, type WriteStatus } from "./queries/ingest.js";
export { endRun, sweepTimedOutRuns, serverSeq, type EndRunResult, type EndRunOptions, type SweepOptions } from "./queries/control.js";
export { getRunChanges, type RunChanges } from "./queries/changes.js";
export { listLogs, type LogFilter } from "./queries/logs.js";
export {
  listRuns,
  getRun,
  getRunOnly,
  encodeCursor,
  decodeCursor,
  InvalidCursorError,
  type RunFilter,
  type RunPage,
} from "./queries/runs.js";
export {
  getRunStats,
  listRunBuckets,
  listTaskDurations,
  type OverviewWindow,
  type RunBucket,
  type RunStats,
  type TaskDuration,
} from "./queries/overview.js";
export { getTask } from "./queries/tasks.js";
export {
  getRunTimeline,
  listTimelineTasks,
  readTimeline,
  TIMELINE_PAGE_FIRST,
  TIMELINE_PAGE_MAX,
  getTimelineTask,
  getFirstFailedTask,
  InvalidTimelineCursorError,
  type RunTimelineHead,
  type TimelinePage,
  type TimelineTask,
} from "./queries/timeline.js";
export { countRunsByStatus, RUN_COUNT_CAP, type RunCountFilter, type RunStatusCount } from "./queries/run-counts.js";
export {
  DEFAULT_PROJECT_ID,
  generateApiKey,
  hashApiKey,
  ensureProject,
  ensureApiKey,
  findProjectByApiKey,
} from "./queries/api-keys.js";
export type { LogView, RunView, RunSummaryView, TaskSummaryView, TaskView, UsageView } from "./queries/views.js";
export { ERROR_MESSAGE_PREVIEW } from "./queries/views.js";
export { RUN_STATUSES, TASK_STATUSES, type RunStatus, type TaskStatus, type Usage } from "./schema.js";
