/**
 * Event encoding. Each event is turned into its JSON text once, when it is
 * recorded: later changes to the caller's objects do not change what is sent,
 * and the text's size is what the queue bounds count.
 *
 * The envelope is built by hand (ids and timestamps need no escaping); user
 * values go through `JSON.stringify`, once each.
 */
import { InvalidArgumentError } from "./errors.js";
import type { EventType } from "./protocol.js";

/** Where handles put their events; implemented by the client. */
export interface Recorder {
  /** False when disabled or shut down: handles skip encoding entirely. */
  readonly active: boolean;
  readonly maxValueBytes: number;
  nextEventId(): string;
  enqueue(json: string): void;
}

export type RunStatus = "running" | "completed" | "failed";
export type TaskStatus = "running" | "completed" | "failed" | "skipped";

/** Mutable state one run shares with its tasks. */
export interface RunContext {
  readonly id: string;
  readonly recorder: Recorder;
  /** Next per-run sequence number. */
  seq: number;
  status: RunStatus;
}

/** Options of `complete()`. */
export interface CompleteOptions {
  output?: unknown;
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
}

let lastMs = -1;
let lastIso = "";

/** ISO-8601 time with milliseconds; formatted at most once per millisecond. */
export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

const NodeBuffer = (globalThis as { Buffer?: { byteLength(text: string, encoding: "utf8"): number } }).Buffer;

/** UTF-8 byte length of a string. */
export function utf8Length(text: string): number {
  if (NodeBuffer !== undefined) return NodeBuffer.byteLength(text, "utf8");
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const PREVIEW_CHARS = 2000;

/**
 * JSON text of a user value, or `undefined` when it has none (undefined, a function).
 * Never throws: unserializable values become `{"$unserializable": reason}`, and
 * values over `maxBytes` become `{"$truncated": true, originalBytes, preview}`.
 */
export function serializeValue(value: unknown, maxBytes: number): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return JSON.stringify({ $unserializable: reason });
  }
  if (json === undefined) return undefined;
  // Fast path: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (json.length * 3 <= maxBytes) return json;
  const bytes = utf8Length(json);
  if (bytes <= maxBytes) return json;
  return JSON.stringify({ $truncated: true, originalBytes: bytes, preview: json.slice(0, PREVIEW_CHARS) });
}

/** Start of an event's JSON, up to and including `type`; takes the run's next `seq`. */
export function envelope(run: RunContext, type: EventType): string {
  return `{"id":"${run.recorder.nextEventId()}","runId":"${run.id}","seq":${run.seq++},"ts":"${isoNow()}","type":"${type}"`;
}

/** `,"key":<json>` for a user value, or "" when it has no JSON. */
export function valueField(key: string, value: unknown, maxBytes: number): string {
  if (value === undefined) return "";
  const json = serializeValue(value, maxBytes);
  return json === undefined ? "" : `,"${key}":${json}`;
}

/** `,"key":"<escaped text>"`, cut to `maxChars` so one event cannot outgrow a batch. */
export function textField(key: string, text: string | undefined, maxChars: number): string {
  if (text === undefined) return "";
  const cut = text.length > maxChars ? `${text.slice(0, maxChars)}… [truncated]` : text;
  return `,"${key}":${JSON.stringify(cut)}`;
}

/** Checks a task or run name. */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== "string" || name.trim() === "") {
    const got = typeof name === "string" ? JSON.stringify(name) : typeof name;
    throw new InvalidArgumentError(`${what} name must be a non-empty string, got ${got}.`);
  }
  return name;
}

function isOptions(value: unknown): value is FailOptions {
  return typeof value === "object" && value !== null && !(value instanceof Error);
}

/**
 * The fields of a `run.fail` / `task.fail` event after `type`. Accepts an Error,
 * or `{ errorMessage?, error?, errorStack?, output? }`; throws when no message can be found.
 */
export function failFields(arg: Error | FailOptions, maxBytes: number): string {
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
  return (
    textField("errorMessage", message, maxBytes) +
    textField("errorStack", stack, maxBytes) +
    valueField("output", options.output, maxBytes)
  );
}
