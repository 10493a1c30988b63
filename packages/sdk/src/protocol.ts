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

export const EVENT_TYPES = [
  "run.start",
  "run.complete",
  "run.fail",
  "task.start",
  "task.complete",
  "task.fail",
  "task.skip",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

interface EventBase {
  /** Client-made unique id; the server stores each id once. */
  id: string;
  runId: string;
  /** Per-run sequence number, monotonic for the emitter: timeline order. */
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
}

export interface RunCompleteEvent extends EventBase {
  type: "run.complete";
  output?: unknown;
}

export interface RunFailEvent extends EventBase {
  type: "run.fail";
  errorMessage: string;
  errorStack?: string;
  output?: unknown;
}

export interface TaskStartEvent extends EventBase {
  type: "task.start";
  taskId: string;
  name: string;
  input?: unknown;
  parentTaskId?: string;
}

export interface TaskCompleteEvent extends EventBase {
  type: "task.complete";
  taskId: string;
  output?: unknown;
}

export interface TaskFailEvent extends EventBase {
  type: "task.fail";
  taskId: string;
  errorMessage: string;
  errorStack?: string;
  output?: unknown;
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
  | TaskStartEvent
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

/** Response of `POST /api/v1/ingest`: HTTP 200 when every event is stored, 207 otherwise. */
export interface IngestResponse {
  results: EventResult[];
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/** Error body of every non-2xx API answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}
