/**
 * Run handle: one execution of an agent or pipeline. Every method checks its
 * arguments, stamps an event and puts it in the queue; encoding and delivery
 * happen in the background. Awaited methods wait for room when the queue is
 * full (see `queue.ts`); `log` never waits.
 */
import type { CompleteOptions, FailOptions, LogOptions } from "./arguments.js";
import { checkId, checkLog, checkMetadata, checkName, checkTags, checkUsage, failInfo } from "./arguments.js";
import { RunAlreadyFinishedError } from "./errors.js";
import { uuidv7 } from "./ids.js";
import type { RunStartExtras } from "./pending-event.js";
import { stamp } from "./pending-event.js";
import type { RunStatus } from "./protocol.js";
import type { RunContext, RunOwner } from "./run-state.js";
import { createRunContext } from "./run-state.js";
import type { Task } from "./task.js";
import { startTaskOn } from "./task.js";

/** Options of `client.startRun()`. */
export interface StartRunOptions {
  /** Shown in the dashboard. Default `"run"`. Past 500 characters it is cut (ending in "… [truncated]"). */
  name?: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
  /** At most 50, each 1..200 characters. */
  tags?: string[];
  /** Id of the run that started this one (at most 200 characters). */
  parentRunId?: string;
}

/** Options of `run.startTask()`. */
export interface StartTaskOptions {
  /** Nest under this task; `task.startTask()` sets it for you. */
  parentTaskId?: string;
}

const DONE: Promise<void> = Promise.resolve();

/**
 * `client.startRun()`: validates the options, makes the run's state and
 * records its `run.start`; resolves with the handle (at once, or once the queue
 * has room). `input` and `metadata` are captured when the event is encoded
 * (see `startTask`); `tags` are copied now.
 */
export function startRun(owner: RunOwner, options: StartRunOptions, heartbeatTimeoutMs: number | undefined, opened: (ctx: RunContext) => void): Promise<Run> {
  const name = options.name === undefined ? "run" : checkName(options.name, "Run");
  checkMetadata(options.metadata);
  if (options.tags !== undefined) checkTags(options.tags);
  if (options.parentRunId !== undefined) checkId(options.parentRunId, "startRun(): parentRunId");
  const ctx = createRunContext(owner, { id: uuidv7(), name, status: "running", lastSeq: -1 });
  const extras: RunStartExtras = {
    metadata: options.metadata,
    tags: options.tags === undefined ? undefined : [...options.tags],
    parentRunId: options.parentRunId,
    heartbeatTimeoutMs,
  };
  opened(ctx);
  const run = new Run(ctx);
  const waiting = ctx.queue.pushAwaited(stamp(ctx, "run.start", undefined, name, options.input, extras));
  return waiting === undefined ? Promise.resolve(run) : waiting.then(() => run);
}

/** Cancelled or timed out on the server: finishing it here is a harmless race, not misuse. */
function endedElsewhere(status: RunStatus): boolean {
  return status === "cancelled" || status === "timed_out";
}

/**
 * A run, created `running` by `client.startRun()` or found by `client.run(id)`.
 * Finishing a run while some of its tasks are still running is allowed: those
 * tasks stay `running` (and may still be finished later); nothing is finished for you.
 *
 * @example
 * const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * await task.complete({ output: { pages: 3 } });
 * await run.complete({ output: { summary: "…" }, usage: { inputTokens: 1200, costUsd: 0.004 } });
 */
export class Run {
  readonly id: string;
  readonly name: string;
  private readonly ctx: RunContext;

  /** @internal Use `client.startRun()` or `client.run(id)`. */
  constructor(ctx: RunContext) {
    this.id = ctx.id;
    this.name = ctx.name;
    this.ctx = ctx;
  }

  /**
   * `running`, then `completed` or `failed`; `cancelled` once an ingest answer
   * says the run was cancelled. A resumed run starts with the server's status.
   */
  get status(): RunStatus {
    return this.ctx.status;
  }

  /**
   * Aborts when the run is cancelled on the server (the dashboard, or
   * `client.runs.cancel()`); its `reason` is a {@link RunCancelledError}. The
   * process learns of it from its next ingest answer, heartbeats included.
   *
   * @example
   * const res = await fetch(url, { signal: run.signal });
   * run.signal.throwIfAborted(); // between steps of a long loop
   */
  get signal(): AbortSignal {
    this.ctx.abort ??= new AbortController();
    return this.ctx.abort.signal;
  }

  /**
   * Starts a task, placed after every event recorded before it.
   * Throws `RunAlreadyFinishedError` unless the run is running: on a run
   * cancelled on the server, the run's {@link RunCancelledError} (a subclass,
   * the same object as `run.signal.reason`).
   *
   * `input` is not serialised during the call: the SDK keeps a reference and
   * reads it on the next turn of the event loop (`setImmediate`), before the
   * answer to any network call awaited after it (an LLM call, a fetch) can
   * arrive. So changing the object synchronously right after the call, or
   * after awaiting only promises that are already settled, changes what is
   * recorded; changing it after awaiting a network call does not. A file-system
   * call or a 0–1 ms timer can complete before that turn: to change a value in
   * place right after such an await, pass a copy. The same holds for every
   * value given to the SDK (`output`, `metadata`, log `attributes`).
   *
   * @example
   * const task = await run.startTask("fetch-data", { url: "https://api.example.com" });
   */
  startTask(name: string, input?: unknown, options?: StartTaskOptions): Promise<Task> {
    return startTaskOn(this.ctx, name, input, options?.parentTaskId);
  }

  /**
   * Records a log line on the run (at any status). Returns at once and never
   * waits: when the queue is full the line is dropped (and counted).
   *
   * @example
   * run.log("using cached index", { level: "debug", attributes: { entries: 1200 } });
   */
  log(message: string, options?: LogOptions): void {
    checkLog(message, options);
    this.ctx.queue.push(stamp(this.ctx, "run.log", undefined, message, options?.attributes, options?.level));
  }

  /**
   * Marks the run completed. Like `task.complete()`, resolves once the queue has
   * room for its event. On a run cancelled (or timed out) on the server it
   * does nothing: the cancel came from outside, so racing it is not misuse.
   * `output` is read on the next turn of the event loop, not during the call (see `startTask`).
   *
   * @example
   * await run.complete({ output: { summary }, usage: { inputTokens: 812, outputTokens: 96 } });
   */
  complete(options?: CompleteOptions): Promise<void> {
    const usage = options === undefined ? undefined : checkUsage(options.usage, "complete()");
    if (endedElsewhere(this.ctx.status)) return DONE;
    this.finish("completed");
    return this.ctx.queue.pushAwaited(stamp(this.ctx, "run.complete", undefined, undefined, options?.output, usage)) ?? DONE;
  }

  /**
   * Marks the run failed; accepts an `Error` or `{ errorMessage | error, errorStack?, output?, usage? }`.
   * Like `complete()`, a no-op on a run cancelled on the server.
   *
   * @example
   * await run.fail({ errorMessage: "upstream timed out" });
   */
  fail(errorOrOptions: Error | FailOptions): Promise<void> {
    const info = failInfo(errorOrOptions);
    if (endedElsewhere(this.ctx.status)) return DONE;
    this.finish("failed");
    return this.ctx.queue.pushAwaited(stamp(this.ctx, "run.fail", undefined, info, undefined, undefined)) ?? DONE;
  }

  private finish(status: RunStatus): void {
    if (this.ctx.status !== "running") throw new RunAlreadyFinishedError(this.id, this.ctx.status);
    this.ctx.status = status;
    this.ctx.closed(this.ctx);
  }
}
