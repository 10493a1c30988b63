/**
 * Run handle: one execution of an agent or pipeline. Every method records an
 * event and returns at once; delivery happens in the background.
 */
import { InvalidArgumentError, RunAlreadyFinishedError } from "./errors.js";
import type { CompleteOptions, FailOptions, Recorder, RunContext, RunStatus } from "./events.js";
import { checkName, envelope, failFields, valueField } from "./events.js";
import { uuidv7 } from "./ids.js";
import { Task } from "./task.js";

/** Options of `client.startRun()`. */
export interface StartRunOptions {
  /** Shown in the dashboard. Default `"run"`. */
  name?: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  tags?: string[];
  /** Id of the run that started this one. */
  parentRunId?: string;
}

/** Options of `run.startTask()`. */
export interface StartTaskOptions {
  /** Nest under this task; `task.startTask()` sets it for you. */
  parentTaskId?: string;
}

const DONE: Promise<void> = Promise.resolve();

function checkStartOptions(options: StartRunOptions): void {
  const { metadata, tags, parentRunId } = options;
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null || Array.isArray(metadata))) {
    throw new InvalidArgumentError("startRun(): metadata must be a plain object.");
  }
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((tag) => typeof tag !== "string"))) {
    throw new InvalidArgumentError("startRun(): tags must be an array of strings.");
  }
  if (parentRunId !== undefined && (typeof parentRunId !== "string" || parentRunId === "")) {
    throw new InvalidArgumentError("startRun(): parentRunId must be a non-empty string.");
  }
}

/**
 * A run, created `running` by `client.startRun()`. Finishing a run while some of
 * its tasks are still running is allowed: those tasks stay `running` (and may
 * still be finished later); nothing is finished for you.
 *
 * @example
 * const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * await task.complete({ output: { pages: 3 } });
 * await run.complete({ output: { summary: "…" } });
 */
export class Run {
  readonly id: string;
  readonly name: string;
  private readonly ctx: RunContext;

  /** @internal Use `client.startRun()`. */
  constructor(recorder: Recorder, options: StartRunOptions = {}) {
    const name = options.name === undefined ? "run" : checkName(options.name, "Run");
    checkStartOptions(options);
    this.id = uuidv7();
    this.name = name;
    this.ctx = { id: this.id, recorder, seq: 0, status: "running" };
    if (!recorder.active) return;
    const max = recorder.maxValueBytes;
    recorder.enqueue(
      `${envelope(this.ctx, "run.start")},"name":${JSON.stringify(name)}` +
        valueField("input", options.input, max) +
        valueField("metadata", options.metadata, max) +
        (options.tags === undefined ? "" : `,"tags":${JSON.stringify(options.tags)}`) +
        (options.parentRunId === undefined ? "" : `,"parentRunId":${JSON.stringify(options.parentRunId)}`) +
        "}",
    );
  }

  /** `running`, then `completed` or `failed`. */
  get status(): RunStatus {
    return this.ctx.status;
  }

  /**
   * Starts a task, placed after every event recorded before it.
   *
   * @example
   * const task = await run.startTask("fetch-data", { url: "https://api.example.com" });
   */
  startTask(name: string, input?: unknown, options?: StartTaskOptions): Promise<Task> {
    return Promise.resolve(new Task(this.ctx, name, input, options?.parentTaskId));
  }

  /**
   * Marks the run completed.
   *
   * @example
   * await run.complete({ output: { summary } });
   */
  complete(options?: CompleteOptions): Promise<void> {
    this.finish("completed");
    const recorder = this.ctx.recorder;
    if (recorder.active) {
      recorder.enqueue(`${envelope(this.ctx, "run.complete")}${valueField("output", options?.output, recorder.maxValueBytes)}}`);
    }
    return DONE;
  }

  /**
   * Marks the run failed; accepts an `Error` or `{ errorMessage | error, errorStack?, output? }`.
   *
   * @example
   * await run.fail({ errorMessage: "upstream timed out" });
   */
  fail(errorOrOptions: Error | FailOptions): Promise<void> {
    this.ensureRunning();
    const recorder = this.ctx.recorder;
    const fields = failFields(errorOrOptions, recorder.maxValueBytes);
    this.finish("failed");
    if (recorder.active) recorder.enqueue(`${envelope(this.ctx, "run.fail")}${fields}}`);
    return DONE;
  }

  private ensureRunning(): void {
    if (this.ctx.status !== "running") throw new RunAlreadyFinishedError(this.id, this.ctx.status);
  }

  private finish(status: RunStatus): void {
    this.ensureRunning();
    this.ctx.status = status;
  }
}
