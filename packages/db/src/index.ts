export { openStore, redactUrl, selectRows, type Db, type Store, type StoreKind, type StoreOptions } from "./client.js";
export { migrate, MigrationMismatchError } from "./migrate.js";
export { writeEvents, HEARTBEAT, type IngestEvent, type WriteResult, type WriteStatus } from "./queries/ingest.js";
export { endRun, sweepTimedOutRuns, serverSeq, type EndRunResult, type EndRunOptions, type SweepOptions } from "./queries/control.js";
export {
  readRunChanges,
  getRunChanges,
  getRunChangeSummaries,
  CHANGE_PAGE_BYTES,
  type ChangePage,
  type ChangePages,
  type ReadChangesOptions,
  type RunChanges,
} from "./queries/changes.js";
export {
  notifyRunChanges,
  listenRunChanges,
  changePayloads,
  parseChangePayload,
  RUN_CHANGES_CHANNEL,
  type RunRef,
  type RunChangeNotice,
  type RunChangeListener,
  type ListenHandlers,
} from "./queries/live.js";
export { listLogs, type LogFilter } from "./queries/logs.js";
export { listLogMarkers, LOG_MARKER_CAP, LOG_MARKER_MESSAGE, type LogMarkerView } from "./queries/log-markers.js";
export {
  listRuns,
  getRun,
  getRunOnly,
  findRunProject,
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
export { getTaskAttributes } from "./queries/task-attributes.js";
export { getRunOutline, type OutlineName, type OutlineTask, type RunOutline } from "./queries/run-outline.js";
export {
  createMcpTask,
  getMcpTask,
  listMcpTasks,
  settleMcpTask,
  purgeMcpTasks,
  getRunStatuses,
  type McpTask,
  type NewMcpTask,
} from "./queries/mcp-tasks.js";
export { listExportTasks, type ExportPage, type ExportPosition, type ExportTask } from "./queries/export.js";
export {
  getRunTimeline,
  listTimelineTasks,
  readTimeline,
  TIMELINE_PAGE_FIRST,
  TIMELINE_PAGE_MAX,
  getTimelineTask,
  getFirstFailures,
  InvalidTimelineCursorError,
  type RunTimelineHead,
  type TimelinePage,
  type TimelineTask,
} from "./queries/timeline.js";
export {
  getRunComparison,
  findLastSuccess,
  compareTaskNames,
  COMPARISON_NAME_LIMIT,
  type RunComparison,
  type TaskNameComparison,
  type TaskNameStats,
} from "./queries/comparison.js";
export { countRunsByStatus, RUN_COUNT_CAP, type RunCountFilter, type RunStatusCount } from "./queries/run-counts.js";
export {
  DEFAULT_PROJECT_ID,
  generateApiKey,
  hashApiKey,
  ensureProject,
  ensureApiKey,
  findApiKey,
  findProjectByApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  findApiKeysByIdOrPrefix,
  TooManyKeysError,
  type ApiKeyView,
} from "./queries/api-keys.js";
export {
  createProject,
  renameProject,
  listProjects,
  listProjectDetails,
  findProject,
  instanceValue,
  type ProjectRef,
  type ProjectView,
} from "./queries/projects.js";
export {
  createUser,
  listUsers,
  findUserByEmail,
  getUser,
  hasUsers,
  setUserPassword,
  updateUser,
  ensureAdmin,
  noteLogin,
  type NewUser,
  type UserChanges,
  type UserView,
} from "./queries/users.js";
export {
  createSession,
  findSession,
  deleteSession,
  purgeSessions,
  hashSessionToken,
  type ActiveSession,
  type NewSession,
  type SessionTimes,
} from "./queries/sessions.js";
export { pingStore, analyzeIngestTables } from "./queries/maintenance.js";
export { takeTokens, purgeFullBuckets, type TokenTake, type TokensTaken } from "./queries/rate-limits.js";
export {
  takeLoginAttempt,
  forgiveLoginAttempt,
  purgeLoginFailures,
  loginKeys,
  type LoginAttempt,
  type LoginLimits,
  type LoginVerdict,
} from "./queries/login-throttle.js";
export { hashPassword, verifyPassword, needsRehash } from "./auth/passwords.js";
export { cleanEmail, checkPassword, cleanName, InvalidInputError, PASSWORD_MIN, PASSWORD_MAX, unusableCharacters, unusablePasswordCharacters } from "./auth/validate.js";
export { ConflictError, NotFoundError } from "./auth/errors.js";
export { StoreLockedError } from "./pglite-lock.js";
export type { LogView, RunView, RunSummaryView, TaskSummaryView, TaskView, UsageView } from "./queries/views.js";
export { ERROR_MESSAGE_PREVIEW } from "./queries/views.js";
export { RUN_STATUSES, TASK_STATUSES, USER_ROLES, MCP_TASK_STATUSES, type McpTaskStatus, type RunStatus, type TaskStatus, type Usage, type UserRole } from "./schema.js";
