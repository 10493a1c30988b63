/**
 * Typed errors. Misuse at a call site throws one of these synchronously;
 * background delivery failures are never thrown but handed to `onError`
 * as a {@link DeliveryError}. The read API (`client.runs`) rejects with
 * {@link RunNotFoundError}, {@link ApiError}, {@link WaitTimeoutError}, …
 */

/** Codes of errors thrown at a call site. */
export type MisuseErrorCode =
  | "invalid_argument"
  | "task_already_finished"
  | "run_already_finished"
  | "client_closed"
  | "disabled";

/** Codes of the read and control API's errors, and of a run's abort reason. */
export type ApiErrorCode = "run_not_found" | "api_error" | "wait_timeout" | "run_cancelled";

/** Why a delivery attempt failed (or why events were dropped). */
export type DeliveryErrorCode =
  | "network_error"
  | "timeout"
  | "rate_limited"
  | "server_error"
  | "payload_too_large"
  | "rejected";

export type RuntrailErrorCode = MisuseErrorCode | DeliveryErrorCode | ApiErrorCode;

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
 * On a run cancelled on the server, `startTask` throws the subclass
 * {@link RunCancelledError} (`complete` and `fail` are then no-ops).
 *
 * @example
 * await run.complete();
 * run.startTask("late"); // throws RunAlreadyFinishedError
 */
export class RunAlreadyFinishedError extends RuntrailError {
  readonly runId: string;
  /** The status the run already has (`"finished"` when the server did not say which). */
  readonly status: string;

  constructor(
    runId: string,
    status: string,
    options?: { message?: string; cause?: unknown; /** @internal For RunCancelledError. */ code?: "run_cancelled" },
  ) {
    super(options?.code ?? "run_already_finished", options?.message ?? `Run ${runId} is already ${status}; it cannot change again.`, {
      cause: options?.cause,
    });
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

/**
 * The abort reason of `run.signal`: the run was cancelled on the server
 * (from the dashboard or `client.runs.cancel()`), learnt from an ingest answer.
 * `run.startTask()` and `task.startTask()` throw this same object afterwards.
 * A {@link RunAlreadyFinishedError} with `status` `"cancelled"` (code `run_cancelled`).
 *
 * @example
 * const run = await client.startRun({ name: "crawl" });
 * await fetch(url, { signal: run.signal }); // rejects with RunCancelledError once cancelled
 * run.signal.addEventListener("abort", () => console.log((run.signal.reason as RunCancelledError).reason));
 */
export class RunCancelledError extends RunAlreadyFinishedError {
  declare readonly code: "run_cancelled";
  /** The reason given to the cancel, if any. */
  readonly reason: string | undefined;

  constructor(runId: string, reason: string | undefined) {
    super(runId, "cancelled", {
      code: "run_cancelled",
      message: `Run ${runId} was cancelled${reason === undefined ? "" : `: ${reason}`}.`,
    });
    this.name = "RunCancelledError";
    this.reason = reason;
  }
}

/**
 * The server has no run with this id (HTTP 404), or it belongs to another project.
 *
 * @example
 * try { await client.runs.get(id); } catch (err) {
 *   if (err instanceof RunNotFoundError) console.log(`no run ${err.runId}`);
 * }
 */
export class RunNotFoundError extends RuntrailError {
  readonly runId: string;

  constructor(runId: string, options?: { message?: string; cause?: unknown }) {
    super("run_not_found", options?.message ?? `Run ${runId} was not found.`, { cause: options?.cause });
    this.name = "RunNotFoundError";
    this.runId = runId;
  }
}

/**
 * A read or control request failed: an unexpected HTTP status (401, 5xx after
 * retries, …) or no answer at all (`status` undefined, the network error as `cause`).
 *
 * @example
 * try { await client.runs.get(id); } catch (err) {
 *   if (err instanceof ApiError && err.status === 401) console.log("check RUNTRAIL_API_KEY");
 * }
 */
export class ApiError extends RuntrailError {
  /** HTTP status, or undefined when no answer came. */
  readonly status: number | undefined;

  constructor(message: string, options?: { status?: number; cause?: unknown }) {
    super("api_error", message, options);
    this.name = "ApiError";
    this.status = options?.status;
  }
}

/**
 * `client.runs.wait()` gave up: the run was still not finished after `timeoutMs`.
 *
 * @example
 * try { await client.runs.wait(id, { timeoutMs: 60_000 }); } catch (err) {
 *   if (err instanceof WaitTimeoutError) console.log(`still ${err.lastStatus} after ${err.timeoutMs} ms`);
 * }
 */
export class WaitTimeoutError extends RuntrailError {
  readonly runId: string;
  readonly timeoutMs: number;
  /** The status last seen, or undefined when no answer came in time. */
  readonly lastStatus: string | undefined;

  constructor(runId: string, timeoutMs: number, lastStatus: string | undefined, options?: { cause?: unknown }) {
    super(
      "wait_timeout",
      `Run ${runId} did not finish within ${timeoutMs} ms (last status: ${lastStatus ?? "unknown"}).`,
      options,
    );
    this.name = "WaitTimeoutError";
    this.runId = runId;
    this.timeoutMs = timeoutMs;
    this.lastStatus = lastStatus;
  }
}
