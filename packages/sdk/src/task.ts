/**
 * Task handle: one step of a run. Every method records an event and returns
 * at once; delivery happens in the background.
 */
import { InvalidArgumentError, RunAlreadyFinishedError, TaskAlreadyFinishedError } from "./errors.js";
import type { CompleteOptions, FailOptions, RunContext, TaskStatus } from "./events.js";
import { checkName, envelope, failFields, textField, valueField } from "./events.js";
import { uuidv7 } from "./ids.js";

/** Options of `task.skip()`. */
export interface SkipOptions {
  reason?: string;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * A step of a run, created `running` by `run.startTask()` or `task.startTask()`.
 * Tasks are independent: several may run at once and finish in any order.
 * A task may still finish after its run finished; its events keep their order.
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

  /** `running`, then `completed`, `failed` or `skipped`. */
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
   * Marks the task completed.
   *
   * @example
   * await task.complete({ output: { pages: 3 } });
   */
  complete(options?: CompleteOptions): Promise<void> {
    this.finish("completed");
    const recorder = this.run.recorder;
    if (recorder.active) {
      recorder.enqueue(
        `${envelope(this.run, "task.complete")},"taskId":"${this.id}"${valueField("output", options?.output, recorder.maxValueBytes)}}`,
      );
    }
    return DONE;
  }

  /**
   * Marks the task failed; accepts an `Error` or `{ errorMessage | error, errorStack?, output? }`.
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
