/**
 * The arguments of recording calls: their types, and the checks made at the
 * call site before anything is queued. A bad argument throws
 * `InvalidArgumentError` naming it; nothing invalid is recorded.
 */
import { InvalidArgumentError } from "./errors.js";
import type { LogLevel, Usage } from "./protocol.js";
import { LIMITS } from "./protocol.js";

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

/**
 * Options of `run.log()` and `task.log()`.
 *
 * @example
 * task.log("cache miss", { level: "debug", attributes: { key: "user:42" } });
 */
export interface LogOptions {
  /** Default `info` (the server's default; not sent). */
  level?: LogLevel;
  /** Structured context; recorded as JSON with the same size limit as inputs. */
  attributes?: Record<string, unknown>;
}

/**
 * What `task.update()` changes; give at least one field.
 *
 * @example
 * task.update({ statusMessage: "embedding chunk 40 of 100", progress: 0.4 });
 */
export interface TaskUpdate {
  /** A short human-readable status ("page 3 of 10"). */
  statusMessage?: string;
  /** Fraction done, 0..1. */
  progress?: number;
}

/** What a `run.fail` / `task.fail` records, taken from `fail()`'s argument. */
export interface FailInfo {
  message: string;
  stack: string | undefined;
  output: unknown;
  usage: Usage | undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
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

/** Tags within the server's bounds: at most 50, each 1 .. 200 characters. */
export function checkTags(tags: unknown): void {
  if (!Array.isArray(tags) || tags.some((tag) => typeof tag !== "string")) {
    throw new InvalidArgumentError("startRun(): tags must be an array of strings.");
  }
  if (tags.length > LIMITS.tags) {
    throw new InvalidArgumentError(`startRun(): at most ${LIMITS.tags} tags, got ${tags.length}.`);
  }
  for (const [index, tag] of (tags as string[]).entries()) {
    if (tag.length === 0 || tag.length > LIMITS.tagChars) {
      throw new InvalidArgumentError(`startRun(): tags[${index}] must be 1..${LIMITS.tagChars} characters, got ${tag.length}.`);
    }
  }
}

/** `startRun()`'s metadata must be a plain object. */
export function checkMetadata(metadata: unknown): void {
  if (metadata !== undefined && !isPlainObject(metadata)) {
    throw new InvalidArgumentError("startRun(): metadata must be a plain object.");
  }
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
  if (!isPlainObject(usage)) {
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

/**
 * Reads `fail()`'s argument: an Error, or `{ errorMessage?, error?, errorStack?,
 * output?, usage? }`. Throws when no message can be found or `usage` is invalid.
 */
export function failInfo(arg: Error | FailOptions): FailInfo {
  const options: FailOptions = typeof arg === "object" && arg !== null && !(arg instanceof Error) ? arg : { error: arg };
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

const LEVELS: readonly string[] = ["debug", "info", "warn", "error"] satisfies LogLevel[];

/** Checks a log call; throws on a bad message, level or attributes. */
export function checkLog(message: unknown, options: LogOptions | undefined): void {
  if (typeof message !== "string" || message === "") {
    throw new InvalidArgumentError(`log(): message must be a non-empty string, got ${typeof message === "string" ? '""' : typeof message}.`);
  }
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    throw new InvalidArgumentError("log(): options must be an object like { level, attributes }.");
  }
  const level = options.level;
  if (level !== undefined && (typeof level !== "string" || !LEVELS.includes(level))) {
    throw new InvalidArgumentError(`log(): level must be one of ${LEVELS.join(", ")}, got ${JSON.stringify(level)}.`);
  }
  const attributes = options.attributes;
  if (attributes !== undefined && !isPlainObject(attributes)) {
    throw new InvalidArgumentError("log(): attributes must be a plain object.");
  }
}

/** Checks a `task.update()` argument; throws on bad or missing fields. */
export function checkUpdate(update: TaskUpdate): void {
  if (!isPlainObject(update)) {
    throw new InvalidArgumentError("update(): pass an object like { statusMessage, progress }.");
  }
  const { statusMessage, progress } = update;
  if (statusMessage === undefined && progress === undefined) {
    throw new InvalidArgumentError("update(): give statusMessage, progress, or both.");
  }
  if (statusMessage !== undefined && typeof statusMessage !== "string") {
    throw new InvalidArgumentError(`update(): statusMessage must be a string, got ${typeof statusMessage}.`);
  }
  if (progress !== undefined && (typeof progress !== "number" || !(progress >= 0 && progress <= 1))) {
    throw new InvalidArgumentError(`update(): progress must be a number from 0 to 1, got ${String(progress)}.`);
  }
}
