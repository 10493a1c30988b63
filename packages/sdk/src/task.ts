/**
 * Task handle: one step of a run. Every method checks its arguments, stamps an
 * event and puts it in the queue; encoding and delivery happen in the
 * background. Awaited methods return a settled promise while the queue has
 * room, and wait for room when it is full (see `queue.ts`); `log` and `update`
 * never wait. This is the SDK's hot path: no serialisation, closures or spreads here.
 */
import type { CompleteOptions, FailOptions, LogOptions, TaskUpdate } from "./arguments.js";
import { checkId, checkLog, checkName, checkUpdate, checkUsage, failInfo } from "./arguments.js";
import { InvalidArgumentError, TaskAlreadyFinishedError } from "./errors.js";
import { stamp } from "./pending-event.js";
import type { TaskStatus } from "./protocol.js";
import type { RunContext } from "./run-state.js";
import { notRunningError } from "./run-state.js";

/** Options of `task.skip()`. */
export interface SkipOptions {
  reason?: string;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * `run.startTask()` and `task.startTask()`: checks, records `task.start` and
 * resolves with the handle (at once, or once the queue has room for its event).
 */
export function startTaskOn(run: RunContext, name: string, input: unknown, parentTaskId: string | undefined): Promise<Task> {
  checkName(name, "Task");
  if (parentTaskId !== undefined) checkId(parentTaskId, "parentTaskId");
  if (run.status !== "running") throw notRunningError(run);
  const number = run.taskIds.nextNumber();
  const task = new Task(run, name, parentTaskId, number);
  const waiting = run.queue.pushAwaited(stamp(run, "task.start", number, name, input, parentTaskId));
  return waiting === undefined ? Promise.resolve(task) : waiting.then(() => task);
}

/**
 * A step of a run, created `running` by `run.startTask()` or `task.startTask()`.
 * Tasks are independent: several may run at once and finish in any order.
 * A task may still finish after its run finished (or was cancelled); its events keep their order.
 *
 * @example
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * try {
 *   const pages = await parsePdf("report.pdf");
 *   await task.complete({ output: { pages: pages.length } });
 * } catch (err) {
 *   await task.fail(err as Error);
 * }
 */
export class Task {
  readonly name: string;
  /** The enclosing task for nested tasks, else undefined. */
  readonly parentTaskId: string | undefined;
  private currentStatus: TaskStatus;
  private readonly run: RunContext;
  /** This task's number in its client's id sequence: the id string is only made when needed. */
  private readonly number: number;
  private idText: string | undefined;

  /** @internal Use `run.startTask()` or `task.startTask()`. */
  constructor(run: RunContext, name: string, parentTaskId: string | undefined, number: number) {
    this.name = name;
    this.parentTaskId = parentTaskId;
    this.currentStatus = "running";
    this.run = run;
    this.number = number;
    this.idText = undefined;
  }

  /** `<client prefix>.<counter>`: unique across clients; the server treats it as opaque text. */
  get id(): string {
    this.idText ??= this.run.taskIds.idOf(this.number);
    return this.idText;
  }

  get runId(): string {
    return this.run.id;
  }

  /** `running`, then `completed`, `failed` or `skipped` (a cancel on the server is not seen here). */
  get status(): TaskStatus {
    return this.currentStatus;
  }

  /**
   * Starts a nested task whose `parentTaskId` is this task. Throws
   * `TaskAlreadyFinishedError` once this task finished, and like `run.startTask`
   * when the run is not running (its `RunCancelledError` once cancelled).
   *
   * @example
   * const page = await task.startTask("ocr-page", { page: 1 });
   */
  startTask(name: string, input?: unknown): Promise<Task> {
    this.ensureRunning();
    return startTaskOn(this.run, name, input, this.id);
  }

  /**
   * Records progress of a running task: a status message, a fraction done (0..1),
   * or both. The latest update wins. Returns at once and never waits: when the
   * queue is full the update is dropped (and counted). Throws
   * `InvalidArgumentError` on bad values, `TaskAlreadyFinishedError` once finished.
   *
   * @example
   * task.update({ statusMessage: "page 3 of 10", progress: 0.3 });
   */
  update(update: TaskUpdate): void {
    checkUpdate(update);
    this.ensureRunning();
    this.run.queue.push(stamp(this.run, "task.update", this.number, update.statusMessage, undefined, update.progress));
  }

  /**
   * Records a log line on the task (at any status). Returns at once and never
   * waits: when the queue is full the line is dropped (and counted).
   *
   * @example
   * task.log("retrying after 429", { level: "warn", attributes: { attempt: 2 } });
   */
  log(message: string, options?: LogOptions): void {
    checkLog(message, options);
    this.run.queue.push(stamp(this.run, "task.log", this.number, message, options?.attributes, options?.level));
  }

  /**
   * Marks the task completed, optionally with its output and usage. Resolves at
   * once while the queue has room; when it is full, once delivery has made room
   * (or after `maxBlockMs` without progress, with the event dropped and counted).
   *
   * `output` is not serialised during the call: it is read on the next turn of
   * the event loop, before the answer to any network call awaited after it
   * can arrive. Changing the object synchronously right after the call changes
   * what is recorded; changing it after awaiting a network call (an LLM call,
   * a fetch) does not. A file-system call or a 0–1 ms timer can complete before
   * that turn: to change a value in place right after such an await, pass a
   * copy. See `run.startTask`.
   *
   * @example
   * await task.complete({ output: { pages: 3 }, usage: { inputTokens: 1200, outputTokens: 80, costUsd: 0.002 } });
   */
  complete(options?: CompleteOptions): Promise<void> {
    let output: unknown;
    let usage: CompleteOptions["usage"];
    if (options !== undefined) {
      output = options.output;
      if (options.usage !== undefined) usage = checkUsage(options.usage, "complete()");
    }
    this.finish("completed");
    return this.run.queue.pushAwaited(stamp(this.run, "task.complete", this.number, undefined, output, usage)) ?? DONE;
  }

  /**
   * Marks the task failed; accepts an `Error` or `{ errorMessage | error, errorStack?, output?, usage? }`.
   *
   * @example
   * await task.fail({ errorMessage: "Connection refused" });
   * await other.fail(err); // message and stack taken from the Error
   */
  fail(errorOrOptions: Error | FailOptions): Promise<void> {
    this.ensureRunning();
    // Validate before changing state, so a bad call can be corrected.
    const info = failInfo(errorOrOptions);
    this.finish("failed");
    return this.run.queue.pushAwaited(stamp(this.run, "task.fail", this.number, info, undefined, undefined)) ?? DONE;
  }

  /**
   * Marks the task intentionally skipped (e.g. a cache hit made it unnecessary).
   * Throws `InvalidArgumentError` when `reason` is given and not a string.
   *
   * @example
   * await task.skip({ reason: "cache hit" });
   */
  skip(options?: SkipOptions): Promise<void> {
    const reason = options?.reason;
    if (reason !== undefined && typeof reason !== "string") {
      throw new InvalidArgumentError(`skip(): reason must be a string, got ${typeof reason}.`);
    }
    this.finish("skipped");
    return this.run.queue.pushAwaited(stamp(this.run, "task.skip", this.number, reason, undefined, undefined)) ?? DONE;
  }

  private ensureRunning(): void {
    if (this.currentStatus !== "running") throw new TaskAlreadyFinishedError(this.id, this.currentStatus);
  }

  private finish(status: TaskStatus): void {
    this.ensureRunning();
    this.currentStatus = status;
  }
}
