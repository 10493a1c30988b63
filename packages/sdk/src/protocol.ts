/**
 * Wire protocol between the SDK and `POST /api/v1/ingest`.
 *
 * Every event carries a client-made unique `id`, its `runId`, a per-run `seq`
 * (monotonic for the emitter), a client timestamp `ts` (ISO-8601) and a `type`.
 * The server stores each `id` once and rebuilds runs and tasks from their own
 * events in `seq` order, so batches may be retried, duplicated or reordered.
 */

/** Any JSON value. Inputs and outputs are recorded as JSON. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Event types a client may send (the server makes `run.cancel`, `run.timeout`, `task.cancel`). */
export const EVENT_TYPES = [
  "run.start",
  "run.complete",
  "run.fail",
  "run.heartbeat",
  "run.log",
  "task.start",
  "task.update",
  "task.log",
  "task.complete",
  "task.fail",
  "task.skip",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/**
 * What the server accepts (anything past these is rejected, event by event).
 * Lengths are in UTF-16 code units (JavaScript string length).
 */
export const LIMITS = {
  /** Run, task and event ids (`runId`, `taskId`, `parentRunId`, `parentTaskId`). */
  idChars: 200,
  /** Run and task names: 1 .. 500. */
  nameChars: 500,
  /** `errorMessage`, `errorStack`, `reason`, `statusMessage`, log `message`. */
  textChars: 65_536,
  /** Tags per run, and characters per tag (1 .. 200). */
  tags: 50,
  tagChars: 200,
  /** Each usage number (tokens, cost). */
  usageMax: 1e15,
  /**
   * Nesting of `input`, `output`, `metadata` and log `attributes` (`{}` is 1). The
   * SDK replaces deeper subtrees by `{ "$truncated": true, "nestedDeeperThan": 64 }`.
   */
  jsonDepth: 64,
} as const;

/** A run's status on the server. `timed_out`: its process went silent past `heartbeatTimeoutMs`. */
export type RunStatus = "running" | "completed" | "failed" | "cancelled" | "timed_out";
/** A task's status on the server. */
export type TaskStatus = "running" | "completed" | "failed" | "skipped" | "cancelled";
/** Severity of a log line; the server's default is `info`. */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Tokens and cost reported on a terminal event; every field from 0 to 1e15 (token counts may be fractional). */
export interface Usage {
  inputTokens?: number;
  outputTokens?: number;
  costUsd?: number;
}

interface EventBase {
  /** Client-made unique id; the server stores each id once. */
  id: string;
  runId: string;
  /**
   * Per-run hybrid logical clock, `max(previous + 1, Date.now() * 1000)`: emit
   * order within a process, wall-clock order across processes. Timeline order.
   */
  seq: number;
  /** Client time the event happened, ISO-8601. */
  ts: string;
}

export interface RunStartEvent extends EventBase {
  type: "run.start";
  name: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  tags?: string[];
  parentRunId?: string;
  heartbeatTimeoutMs?: number;
}

export interface RunCompleteEvent extends EventBase {
  type: "run.complete";
  output?: unknown;
  usage?: Usage;
}

export interface RunFailEvent extends EventBase {
  type: "run.fail";
  errorMessage: string;
  errorStack?: string;
  output?: unknown;
  usage?: Usage;
}

/** The process is alive; refreshes the run's last-seen time, not stored. */
export interface RunHeartbeatEvent extends EventBase {
  type: "run.heartbeat";
}

export interface RunLogEvent extends EventBase {
  type: "run.log";
  message: string;
  level?: LogLevel;
  attributes?: Record<string, unknown>;
}

export interface TaskStartEvent extends EventBase {
  type: "task.start";
  taskId: string;
  name: string;
  input?: unknown;
  parentTaskId?: string;
}

export interface TaskUpdateEvent extends EventBase {
  type: "task.update";
  taskId: string;
  statusMessage?: string;
  /** 0..1. */
  progress?: number;
}

export interface TaskLogEvent extends EventBase {
  type: "task.log";
  taskId: string;
  message: string;
  level?: LogLevel;
  attributes?: Record<string, unknown>;
}

export interface TaskCompleteEvent extends EventBase {
  type: "task.complete";
  taskId: string;
  output?: unknown;
  usage?: Usage;
}

export interface TaskFailEvent extends EventBase {
  type: "task.fail";
  taskId: string;
  errorMessage: string;
  errorStack?: string;
  output?: unknown;
  usage?: Usage;
}

export interface TaskSkipEvent extends EventBase {
  type: "task.skip";
  taskId: string;
  reason?: string;
}

export type RuntrailEvent =
  | RunStartEvent
  | RunCompleteEvent
  | RunFailEvent
  | RunHeartbeatEvent
  | RunLogEvent
  | TaskStartEvent
  | TaskUpdateEvent
  | TaskLogEvent
  | TaskCompleteEvent
  | TaskFailEvent
  | TaskSkipEvent;

/** Body of `POST /api/v1/ingest`. */
export interface IngestRequest {
  batch: RuntrailEvent[];
}

/**
 * Per-event outcome, in batch order.
 * - `accepted`: stored now.
 * - `duplicate`: this id was stored before (a retry); nothing changed.
 * - `conflict`: stored, but it lost to an earlier terminal event (by seq) and was not applied.
 * - `rejected`: invalid, not stored; `error` says which field and why.
 */
export type EventResultStatus = "accepted" | "duplicate" | "conflict" | "rejected";

export interface EventResult {
  index: number;
  id: string | null;
  status: EventResultStatus;
  error?: string;
}

/** A run of the batch that is cancelled on the server. */
export interface CancelledRun {
  runId: string;
  reason?: string | null;
}

/** Response of `POST /api/v1/ingest`: HTTP 200 when every event is stored, 207 otherwise. */
export interface IngestResponse {
  results: EventResult[];
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  /** Runs of this batch that are cancelled on the server: how a process learns of a cancel. */
  cancelledRuns?: CancelledRun[];
}

/** Error body of every non-2xx API answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

// ---- Read API JSON (`GET /api/v1/runs…`). Times are ISO-8601 strings. ----

/** Token and cost totals as the server reports them: a run's are its own plus its tasks'. */
export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

/** How many of a run's tasks are in each status. */
export interface TaskCounts {
  total: number;
  running: number;
  completed: number;
  failed: number;
  skipped: number;
  cancelled: number;
}

/** A run in a list (`GET /api/v1/runs`): a {@link RunInfo} without its payloads. */
export interface RunSummaryInfo {
  id: string;
  name: string;
  status: RunStatus;
  errorMessage: string | null;
  tags: string[];
  parentRunId: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  lastEventAt: string;
  heartbeatTimeoutMs: number | null;
  /** Highest `seq` stored: a process resuming the run starts after it. */
  lastSeq: number;
  usage: UsageTotals;
  taskCounts: TaskCounts;
  logCount: number;
  /** +1 per stored batch that changes the run; streams resume from it. */
  version: number;
}

/** A run as `GET /api/v1/runs/:id` shows it. */
export interface RunInfo extends RunSummaryInfo {
  input: unknown;
  output: unknown;
  errorStack: string | null;
  metadata: Record<string, unknown>;
}

/** A task as the read API shows it. */
export interface TaskInfo {
  id: string;
  runId: string;
  parentTaskId: string | null;
  name: string;
  status: TaskStatus;
  input: unknown;
  output: unknown;
  errorMessage: string | null;
  errorStack: string | null;
  statusMessage: string | null;
  /** 0..1 from the latest `task.update`, else null. */
  progress: number | null;
  usage: UsageTotals | null;
  /** Timeline position: the seq of its `task.start`. */
  seq: number | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  /** The run's version when this task last changed. */
  version: number;
}

/** A log line of a run or one of its tasks (`GET /api/v1/runs/:id/logs`). */
export interface LogInfo {
  id: string;
  runId: string;
  taskId: string | null;
  seq: number;
  ts: string;
  level: LogLevel;
  message: string;
  attributes: Record<string, unknown> | null;
}

/** One page of `GET /api/v1/runs`; `nextCursor` is null on the last page. */
export interface RunPage {
  data: RunSummaryInfo[];
  nextCursor: string | null;
}

/** `GET /api/v1/runs/:id`: the run and its tasks in timeline order. */
export interface RunDetail {
  run: RunInfo;
  tasks: TaskInfo[];
}

/** True for the statuses a run never leaves. */
export function isTerminalRunStatus(status: RunStatus): boolean {
  return status !== "running";
}
