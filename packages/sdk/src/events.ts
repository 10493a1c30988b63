/**
 * Recorded events before they are encoded, the per-run clock, and the checks
 * made at the call site.
 *
 * A recording call validates its arguments, takes the run's next `seq` and the
 * time, and queues one {@link PendingEvent} holding references to the values it
 * was given. Turning that into JSON text (`encode.ts`) happens later, in the
 * encode pass, off the caller's path.
 */
import { InvalidArgumentError, RunAlreadyFinishedError, RunCancelledError } from "./errors.js";
import type { EventType, RunStatus, Usage } from "./protocol.js";
import { LIMITS } from "./protocol.js";
import type { Recorder } from "./recorder.js";

/** Mutable state one run shares with its tasks (and with every handle resumed on it). */
export interface RunContext {
  readonly id: string;
  /**
   * `","runId":<id as JSON>,"seq":`, the envelope between an event's id and its
   * seq, made once per run (escaped: a resumed run's id comes from outside).
   */
  readonly envelopeJson: string;
  readonly name: string;
  /** `Date.now()` when this context was made: events store their time as an offset from it. */
  readonly epochMs: number;
  readonly recorder: Recorder;
  /** The last `seq` used (or stored on the server, for a resumed run); -1 before any. */
  lastSeq: number;
  status: RunStatus;
  /** An event was recorded since the last heartbeat tick. */
  touched: boolean;
  /** Made on first use of `run.signal`, or when the run is cancelled. */
  abort: AbortController | undefined;
}

/** Options of `complete()`. */
export interface CompleteOptions {
  output?: unknown;
  /** Tokens and cost of this run or task; non-negative numbers. */
  usage?: Usage;
}

/**
 * Options of `fail()`. Give `errorMessage`, or `error` (an `Error` or any thrown value)
 * from which the message and stack are taken. `fail(err)` with an `Error` works too.
 */
export interface FailOptions {
  errorMessage?: string;
  error?: unknown;
  errorStack?: string;
  output?: unknown;
  /** Tokens and cost spent before the failure; non-negative numbers. */
  usage?: Usage;
}

/** The fields of a `run.start` after `name` and `input`; the small ones checked and copied when it is recorded. */
export interface RunStartExtras {
  metadata: Record<string, unknown> | undefined;
  tags: string[] | undefined;
  parentRunId: string | undefined;
  heartbeatTimeoutMs: number | undefined;
}

/**
 * One recorded event, not yet encoded: its run, clock reading, type and task,
 * and three slots whose meaning depends on the type. User values (`input`,
 * `output`, `metadata`, `attributes`) are references, read when the event is
 * encoded; the other slots hold strings, numbers or copies checked at the call.
 * Kept small: in a loop that never yields to the event loop, every event stays
 * alive until it is encoded.
 *
 * Times are kept as offsets (`ms` from the run's `epochMs`, `seq` from `ms` in
 * µs): small integers, which V8 stores in the object itself, where the ~1.7e15
 * of a seq would cost a separate heap number per event. Beyond ~12 days from
 * the epoch they are still exact, only boxed.
 *
 * | type                          | a             | b          | c              |
 * |-------------------------------|---------------|------------|----------------|
 * | run.start                     | name          | input      | RunStartExtras |
 * | run.complete, task.complete   |               | output     | usage copy     |
 * | run.fail, task.fail           | FailInfo      |            |                |
 * | run.log, task.log             | message       | attributes | level          |
 * | task.start                    | name          | input      | parentTaskId   |
 * | task.update                   | statusMessage |            | progress       |
 * | task.skip                     | reason        |            |                |
 * | run.heartbeat                 |               |            |                |
 */
export class PendingEvent {
  constructor(
    readonly run: RunContext,
    /** `Date.now()` at the call (the event's `ts`) minus `run.epochMs`. */
    readonly msOffset: number,
    /** `seq` minus the call's `Date.now()` in µs: 0 .. 999 while the clock runs ahead of the run's events. */
    readonly seqOffset: number,
    readonly type: EventType,
    /** The task's number in the client's task id sequence (see `Recorder.taskId`); undefined for run events. */
    readonly task: number | undefined,
    readonly a: unknown,
    readonly b: unknown,
    readonly c: unknown,
  ) {}

  /** `Date.now()` at the call. */
  get ms(): number {
    return this.run.epochMs + this.msOffset;
  }

  get seq(): number {
    return this.ms * 1000 + this.seqOffset;
  }
}

/**
 * The run's next `seq`, a hybrid logical clock: `max(previous + 1, ms in µs)`.
 * Strictly increasing for this run in this process even if the clock steps
 * back, and interleaved by wall-clock with the events other processes record
 * on the same run. Marks the run touched (heartbeats skip it this tick).
 * (µs since 1970 stay below 2^53 until 2255.)
 */
export function takeSeq(run: RunContext, ms: number): number {
  const clock = ms * 1000;
  const next = run.lastSeq + 1;
  const seq = Math.max(clock, next);
  run.lastSeq = seq;
  run.touched = true;
  return seq;
}

/** Checks a task or run name. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || name.trim() === "") {
    const got = typeof name === "string" ? JSON.stringify(name) : typeof name;
    throw new InvalidArgumentError(`${what} name must be a non-empty string, got ${got}.`);
  }
  return name;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Checks an id given by the caller (`client.run(id)`, `parentRunId`, `parentTaskId`):
 * a non-empty string within the server's {@link LIMITS}.idChars, without the NUL
 * characters and lone surrogates the server refuses in ids (they cannot be stored).
 */
export function checkId(id: unknown, what: string): string {
  if (typeof id !== "string" || id === "") throw new InvalidArgumentError(`${what} must be a non-empty string.`);
  if (id.length > LIMITS.idChars) {
    throw new InvalidArgumentError(`${what} must be at most ${LIMITS.idChars} characters, got ${id.length}.`);
  }
  if (id.includes("\u0000") || LONE_SURROGATE.test(id)) {
    throw new InvalidArgumentError(`${what} must not contain NUL characters or lone UTF-16 surrogates.`);
  }
  return id;
}

/**
 * What recording on a run that is not running throws: when it was cancelled,
 * the run's own {@link RunCancelledError} (the reason of `run.signal`), else a
 * `RunAlreadyFinishedError` with its status.
 */
export function notRunningError(run: RunContext): RunAlreadyFinishedError {
  const reason: unknown = run.abort?.signal.reason;
  if (run.status === "cancelled" && reason instanceof RunCancelledError) return reason;
  return new RunAlreadyFinishedError(run.id, run.status);
}

const USAGE_KEYS: readonly string[] = ["inputTokens", "outputTokens", "costUsd"] satisfies (keyof Usage)[];

/**
 * A checked copy of `usage` (undefined stays undefined), so a later change to
 * the caller's object cannot make the queued event invalid. Throws
 * `InvalidArgumentError` naming the bad key: unknown keys, negative,
 * non-finite or non-number values, values past the server's 1e15.
 */
export function checkUsage(usage: Usage | undefined, where: string): Usage | undefined {
  if (usage === undefined) return undefined;
  if (typeof usage !== "object" || usage === null || Array.isArray(usage)) {
    throw new InvalidArgumentError(`${where}: usage must be an object like { inputTokens, outputTokens, costUsd }.`);
  }
  const copy: Record<string, number> = {};
  for (const key of Object.keys(usage)) {
    if (!USAGE_KEYS.includes(key)) {
      throw new InvalidArgumentError(`${where}: usage.${key} is not a usage field (${USAGE_KEYS.join(", ")}).`);
    }
    const value = (usage as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${where}: usage.${key} must be a non-negative finite number, got ${String(value)}.`);
    }
    if (value > LIMITS.usageMax) {
      throw new InvalidArgumentError(`${where}: usage.${key} must be at most ${LIMITS.usageMax}, got ${String(value)}.`);
    }
    copy[key] = value;
  }
  return copy;
}

function isOptions(value: unknown): value is FailOptions {
  return typeof value === "object" && value !== null && !(value instanceof Error);
}

/** What a `run.fail` / `task.fail` records, taken from `fail()`'s argument. */
export interface FailInfo {
  message: string;
  stack: string | undefined;
  output: unknown;
  usage: Usage | undefined;
}

/**
 * Reads `fail()`'s argument: an Error, or `{ errorMessage?, error?, errorStack?,
 * output?, usage? }`. Throws when no message can be found or `usage` is invalid.
 */
export function failInfo(arg: Error | FailOptions): FailInfo {
  const options: FailOptions = isOptions(arg) ? arg : { error: arg };
  const error = options.error;
  let message = options.errorMessage;
  let stack = options.errorStack;
  if (error instanceof Error) {
    message ??= error.message === "" ? error.name : error.message;
    stack ??= error.stack;
  } else if (error !== undefined && error !== null) {
    message ??= typeof error === "string" ? error : String(error);
  }
  if (typeof message !== "string" || message === "") {
    throw new InvalidArgumentError("fail() needs an Error, { error }, or a non-empty { errorMessage }.");
  }
  if (stack !== undefined && typeof stack !== "string") {
    throw new InvalidArgumentError("fail(): errorStack must be a string.");
  }
  return { message, stack, output: options.output, usage: checkUsage(options.usage, "fail()") };
}
