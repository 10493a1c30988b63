export { openStore, redactUrl, type Db, type Store, type StoreKind, type StoreOptions } from "./client.js";
export { migrate, MigrationMismatchError } from "./migrate.js";
export { writeEvents, type IngestEvent, type WriteStatus } from "./queries/ingest.js";
export { listRuns, getRun, encodeCursor, decodeCursor, InvalidCursorError, type RunFilter, type RunPage } from "./queries/runs.js";
export {
  DEFAULT_PROJECT_ID,
  generateApiKey,
  hashApiKey,
  ensureProject,
  ensureApiKey,
  findProjectByApiKey,
} from "./queries/api-keys.js";
export type { RunView, RunSummaryView, TaskView } from "./queries/views.js";
export { RUN_STATUSES, TASK_STATUSES, type RunStatus, type TaskStatus } from "./schema.js";
