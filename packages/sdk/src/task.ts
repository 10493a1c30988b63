/**
 * Task handle: one step of a run. Every method records an event and returns
 * at once; delivery happens in the background.
 */
import type { LogOptions, TaskUpdate } from "./annotations.js";
import { logFields, updateFields } from "./annotations.js";
import { InvalidArgumentError, RunAlreadyFinishedError, TaskAlreadyFinishedError } from "./errors.js";
import type { CompleteOptions, FailOptions, RunContext } from "./events.js";
import { checkName, envelope, failFields, textField, usageField, valueField } from "./events.js";
import { uuidv7 } from "./ids.js";
import type { TaskStatus } from "./protocol.js";

/** Options of `task.skip()`. */
export interface SkipOptions {
  reason?: string;
}

const DONE: Promise<void> = Promise.resolve();

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
  readonly id: string;
  readonly name: string;
  readonly runId: string;
  /** The enclosing task for nested tasks, else undefined. */
  readonly parentTaskId: string | undefined;
  private currentStatus: TaskStatus = "running";
  private readonly run: RunContext;

  /** @internal Use `run.startTask()` or `task.startTask()`. */
  constructor(run: RunContext, name: string, input: unknown, parentTaskId: string | undefined) {
    checkName(name, "Task");
    if (parentTaskId !== undefined && (typeof parentTaskId !== "string" || parentTaskId === "")) {
      throw new InvalidArgumentError("parentTaskId must be a non-empty string when given.");
    }
    if (run.status !== "running") throw new RunAlreadyFinishedError(run.id, run.status);
    this.id = uuidv7();
    this.name = name;
    this.runId = run.id;
    this.parentTaskId = parentTaskId;
    this.run = run;
    const recorder = run.recorder;
    if (!recorder.active) return;
    const max = recorder.maxValueBytes;
    recorder.enqueue(
      `${envelope(run, "task.start")},"taskId":"${this.id}","name":${JSON.stringify(name)}` +
        valueField("input", input, max) +
        (parentTaskId === undefined ? "" : `,"parentTaskId":${JSON.stringify(parentTaskId)}`) +
        "}",
    );
  }

  /** `running`, then `completed`, `failed` or `skipped` (a cancel on the server is not seen here). */
  get status(): TaskStatus {
    return this.currentStatus;
  }

  /**
   * Starts a nested task whose `parentTaskId` is this task.
   *
   * @example
   * const page = await task.startTask("ocr-page", { page: 1 });
   */
  startTask(name: string, input?: unknown): Promise<Task> {
    this.ensureRunning();
    return Promise.resolve(new Task(this.run, name, input, this.id));
  }

  /**
   * Records progress of a running task: a status message, a fraction done (0..1),
   * or both. The latest update wins. Returns at once; throws
   * `InvalidArgumentError` on bad values, `TaskAlreadyFinishedError` once finished.
   *
   * @example
   * task.update({ statusMessage: "page 3 of 10", progress: 0.3 });
   */
  update(update: TaskUpdate): void {
    const recorder = this.run.recorder;
    const fields = updateFields(update, recorder.maxValueBytes);
    this.ensureRunning();
    if (recorder.active) recorder.enqueue(`${envelope(this.run, "task.update")},"taskId":"${this.id}"${fields}}`);
  }

  /**
   * Records a log line on the task (at any status). Returns at once.
   *
   * @example
   * task.log("retrying after 429", { level: "warn", attributes: { attempt: 2 } });
   */
  log(message: string, options?: LogOptions): void {
    const recorder = this.run.recorder;
    const fields = logFields(message, options, recorder.maxValueBytes);
    if (recorder.active) recorder.enqueue(`${envelope(this.run, "task.log")},"taskId":"${this.id}"${fields}}`);
  }

  /**
   * Marks the task completed, optionally with its output and usage.
   *
   * @example
   * await task.complete({ output: { pages: 3 }, usage: { inputTokens: 1200, outputTokens: 80, costUsd: 0.002 } });
   */
  complete(options?: CompleteOptions): Promise<void> {
    const recorder = this.run.recorder;
    const usage = usageField(options?.usage, "complete()");
    this.finish("completed");
    if (recorder.active) {
      const output = valueField("output", options?.output, recorder.maxValueBytes);
      recorder.enqueue(`${envelope(this.run, "task.complete")},"taskId":"${this.id}"${output}${usage}}`);
    }
    return DONE;
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
    const recorder = this.run.recorder;
    // Validate before changing state, so a bad call can be corrected.
    const fields = failFields(errorOrOptions, recorder.maxValueBytes);
    this.finish("failed");
    if (recorder.active) recorder.enqueue(`${envelope(this.run, "task.fail")},"taskId":"${this.id}"${fields}}`);
    return DONE;
  }

  /**
   * Marks the task intentionally skipped (e.g. a cache hit made it unnecessary).
   *
   * @example
   * await task.skip({ reason: "cache hit" });
   */
  skip(options?: SkipOptions): Promise<void> {
    this.finish("skipped");
    const recorder = this.run.recorder;
    if (recorder.active) {
      recorder.enqueue(
        `${envelope(this.run, "task.skip")},"taskId":"${this.id}"${textField("reason", options?.reason, recorder.maxValueBytes)}}`,
      );
    }
    return DONE;
  }

  private ensureRunning(): void {
    if (this.currentStatus !== "running") throw new TaskAlreadyFinishedError(this.id, this.currentStatus);
  }

  private finish(status: TaskStatus): void {
    this.ensureRunning();
    this.currentStatus = status;
  }
}
