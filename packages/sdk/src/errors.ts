/**
 * Typed errors. Misuse at a call site throws one of these synchronously;
 * background delivery failures are never thrown but handed to `onError`
 * as a {@link DeliveryError}.
 */

/** Codes of errors thrown at a call site. */
export type MisuseErrorCode =
  | "invalid_argument"
  | "task_already_finished"
  | "run_already_finished"
  | "client_closed";

/** Why a delivery attempt failed (or why events were dropped). */
export type DeliveryErrorCode =
  | "network_error"
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "payload_too_large"
  | "rejected";

export type RuntrailErrorCode = MisuseErrorCode | DeliveryErrorCode;

/**
 * Base class of every error the SDK creates.
 *
 * @example
 * try { await task.complete(); } catch (err) {
 *   if (err instanceof RuntrailError) console.log(err.code); // "task_already_finished"
 * }
 */
export class RuntrailError extends Error {
  /** Stable machine-readable code. */
  readonly code: RuntrailErrorCode;
  override readonly cause: unknown;

  constructor(code: RuntrailErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "RuntrailError";
    this.code = code;
    this.cause = options?.cause;
  }
}

/**
 * An argument is missing or has the wrong shape (empty task name, no API key, …).
 *
 * @example
 * run.startTask(""); // throws InvalidArgumentError (code "invalid_argument")
 */
export class InvalidArgumentError extends RuntrailError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("invalid_argument", message, options);
    this.name = "InvalidArgumentError";
  }
}

/**
 * `complete`, `fail`, `skip` or `startTask` was called on a task that already finished.
 *
 * @example
 * await task.complete();
 * task.fail(new Error("late")); // throws TaskAlreadyFinishedError
 */
export class TaskAlreadyFinishedError extends RuntrailError {
  readonly taskId: string;
  /** The status the task already has. */
  readonly status: string;

  constructor(taskId: string, status: string) {
    super("task_already_finished", `Task ${taskId} is already ${status}; it cannot change again.`);
    this.name = "TaskAlreadyFinishedError";
    this.taskId = taskId;
    this.status = status;
  }
}

/**
 * `startTask`, `complete` or `fail` was called on a run that already finished.
 *
 * @example
 * await run.complete();
 * run.startTask("late"); // throws RunAlreadyFinishedError
 */
export class RunAlreadyFinishedError extends RuntrailError {
  readonly runId: string;
  /** The status the run already has. */
  readonly status: string;

  constructor(runId: string, status: string) {
    super("run_already_finished", `Run ${runId} is already ${status}; it cannot change again.`);
    this.name = "RunAlreadyFinishedError";
    this.runId = runId;
    this.status = status;
  }
}

/**
 * `startRun` was called after `client.shutdown()`.
 *
 * @example
 * await client.shutdown();
 * client.startRun(); // throws ClientClosedError (code "client_closed")
 */
export class ClientClosedError extends RuntrailError {
  constructor() {
    super("client_closed", "This Runtrail client was shut down; create a new client to record more runs.");
    this.name = "ClientClosedError";
  }
}

/**
 * A background delivery problem, passed to the `onError` option; never thrown.
 *
 * @example
 * new Runtrail({
 *   onError: (err) => console.warn(err.code, err.status, err.willRetry, err.message),
 * });
 */
export class DeliveryError extends RuntrailError {
  declare readonly code: DeliveryErrorCode;
  /** HTTP status of the answer, if there was one. */
  readonly status: number | undefined;
  /** How many events the failed request carried. */
  readonly eventCount: number;
  /** True when the batch stays queued and will be sent again. */
  readonly willRetry: boolean;
  /** Per-event error strings from the server (for `rejected` events), or the error body. */
  readonly details: readonly string[];

  constructor(
    code: DeliveryErrorCode,
    message: string,
    info: { status?: number; eventCount: number; willRetry: boolean; details?: readonly string[]; cause?: unknown },
  ) {
    super(code, message, { cause: info.cause });
    this.name = "DeliveryError";
    this.status = info.status;
    this.eventCount = info.eventCount;
    this.willRetry = info.willRetry;
    this.details = info.details ?? [];
  }
}
