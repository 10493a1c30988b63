/**
 * Call-site checks of the events that annotate a run or task without changing
 * its status: log lines (`run.log`, `task.log`) and progress (`task.update`).
 * Their fields are encoded later with the rest (`encode.ts`).
 */
import { InvalidArgumentError } from "./errors.js";
import type { LogLevel } from "./protocol.js";

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

const LEVELS: readonly string[] = ["debug", "info", "warn", "error"] satisfies LogLevel[];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

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
