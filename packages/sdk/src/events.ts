/**
 * Event encoding. Each event is turned into its JSON text once, when it is
 * recorded: later changes to the caller's objects do not change what is sent,
 * and the text's size is what the queue bounds count.
 *
 * The envelope is built by hand (ids and timestamps need no escaping); user
 * values go through `JSON.stringify`, once each.
 */
import { InvalidArgumentError } from "./errors.js";
import type { EventType, RunStatus, Usage } from "./protocol.js";

/** Where handles put their events; implemented by the client. */
export interface Recorder {
  /** False when disabled or shut down: handles skip encoding entirely. */
  readonly active: boolean;
  readonly maxValueBytes: number;
  /** Declared on every `run.start`; undefined sends nothing. */
  readonly heartbeatTimeoutMs: number | undefined;
  nextEventId(): string;
  enqueue(json: string): void;
  /** The run left `running` here (finished, or cancelled): stop heartbeating it. */
  runClosed(run: RunContext): void;
}

/** Mutable state one run shares with its tasks (and with every handle resumed on it). */
export interface RunContext {
  readonly id: string;
  readonly name: string;
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

let lastMs = -1;
let lastIso = "";

/** ISO-8601 time of `ms` with milliseconds; formatted at most once per millisecond. */
function isoAt(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** ISO-8601 time with milliseconds. */
export function isoNow(): string {
  return isoAt(Date.now());
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

let seqMs = -1;
let seqMsText = "";

/**
 * `String(seq)`, fast. Seqs are ~1.8e15, past V8's small-integer range, and
 * printing such a double costs ~300 ns; but a seq is almost always the current
 * millisecond followed by a 3-digit counter, and the millisecond's digits are
 * printed once per millisecond.
 */
export function seqText(seq: number, ms: number): string {
  if (ms !== seqMs) {
    seqMs = ms;
    seqMsText = Number.isInteger(ms) && ms > 0 ? String(ms) : "";
  }
  const offset = seq - ms * 1000;
  if (seqMsText === "" || !(offset >= 0 && offset < 1000) || !Number.isInteger(offset)) return String(seq);
  return seqMsText + (offset < 10 ? "00" : offset < 100 ? "0" : "") + offset;
}

/**
 * Start of an event's JSON, up to and including `type`. Its `seq` is a hybrid
 * logical clock, `max(previous + 1, now in µs)`: strictly increasing for this
 * run in this process even if the clock steps back, and interleaved by
 * wall-clock with the events other processes record on the same run. The one
 * `Date.now()` serves both `seq` and `ts`. (µs since 1970 stay below 2^53 until 2255.)
 */
export function envelope(run: RunContext, type: EventType): string {
  const ms = Date.now();
  const seq = Math.max(run.lastSeq + 1, ms * 1000);
  run.lastSeq = seq;
  run.touched = true;
  return `{"id":"${run.recorder.nextEventId()}","runId":"${run.id}","seq":${seqText(seq, ms)},"ts":"${isoAt(ms)}","type":"${type}"`;
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

const USAGE_KEYS = ["inputTokens", "outputTokens", "costUsd"] as const;

/**
 * `,"usage":{…}` for a valid usage, "" when undefined. Throws
 * `InvalidArgumentError` naming the bad key: unknown keys, negative,
 * non-finite or non-number values.
 */
export function usageField(usage: Usage | undefined, where: string): string {
  if (usage === undefined) return "";
  if (typeof usage !== "object" || usage === null || Array.isArray(usage)) {
    throw new InvalidArgumentError(`${where}: usage must be an object like { inputTokens, outputTokens, costUsd }.`);
  }
  let json = "";
  for (const key of Object.keys(usage)) {
    if (!(USAGE_KEYS as readonly string[]).includes(key)) {
      throw new InvalidArgumentError(`${where}: usage.${key} is not a usage field (${USAGE_KEYS.join(", ")}).`);
    }
    const value = (usage as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new InvalidArgumentError(`${where}: usage.${key} must be a non-negative finite number, got ${String(value)}.`);
    }
    json += `${json === "" ? "" : ","}"${key}":${value}`;
  }
  return `,"usage":{${json}}`;
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
 * or `{ errorMessage?, error?, errorStack?, output?, usage? }`; throws when no
 * message can be found or `usage` is invalid.
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
    valueField("output", options.output, maxBytes) +
    usageField(options.usage, "fail()")
  );
}
