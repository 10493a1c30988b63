/**
 * Encoding: a {@link PendingEvent} becomes its JSON text in the queue's encode
 * pass (run by `delivery.ts` on a macrotask after the recording call), or at
 * once when a batch is about to be built. User values are read here, so what is
 * recorded is what they hold when the event loop next turns.
 *
 * The envelope is built by hand (ids, seqs and timestamps need no escaping);
 * user values go through `JSON.stringify`, once each.
 */
import type { FailInfo } from "./arguments.js";
import { IdSequence } from "./ids.js";
import { capJsonDepth, jsonDeeperThan } from "./json-depth.js";
import type { PendingEvent, RunStartExtras } from "./pending-event.js";
import type { LogLevel, Usage } from "./protocol.js";
import { LIMITS } from "./protocol.js";
import { utf8Length } from "./utf8-length.js";

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

const PREVIEW_CHARS = 2000;

/**
 * JSON text of a user value, or `undefined` when it has none (undefined, a function).
 * Never throws: unserializable values become `{"$unserializable": reason}`, values
 * over `maxBytes` become `{"$truncated": true, originalBytes, preview}`, and
 * subtrees nested past the server's {@link LIMITS}.jsonDepth become
 * `{"$truncated": true, nestedDeeperThan}` (see `json-depth.ts`).
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
  if (json.length * 3 > maxBytes) {
    const bytes = utf8Length(json);
    if (bytes > maxBytes) return JSON.stringify({ $truncated: true, originalBytes: bytes, preview: json.slice(0, PREVIEW_CHARS) });
  }
  return jsonDeeperThan(json, LIMITS.jsonDepth) ? capJsonDepth(json, LIMITS.jsonDepth) : json;
}

let seqMs = -1;
let seqMsText = "";
/** "000" … "999". */
const THREE_DIGITS: string[] = [];
for (let i = 0; i < 1000; i++) THREE_DIGITS.push(String(i).padStart(3, "0"));

/**
 * `String(ms * 1000 + offset)` (an event's seq), fast. Seqs are ~1.8e15, past
 * V8's small-integer range, and printing such a double costs ~300 ns; but a
 * seq is almost always the current millisecond followed by a 3-digit counter
 * (`offset` 0 .. 999), and the millisecond's digits are printed once per millisecond.
 */
export function seqText(ms: number, offset: number): string {
  if (ms !== seqMs) {
    seqMs = ms;
    seqMsText = Number.isInteger(ms) && ms > 0 ? String(ms) : "";
  }
  const digits = seqMsText === "" ? undefined : THREE_DIGITS[offset];
  return digits === undefined ? String(ms * 1000 + offset) : seqMsText + digits;
}

/** `,"key":<json>` for a user value, or "" when it has no JSON. */
export function valueField(key: string, value: unknown, maxBytes: number): string {
  if (value === undefined) return "";
  const json = serializeValue(value, maxBytes);
  return json === undefined ? "" : `,"${key}":${json}`;
}

/** Ends a string the SDK cut short. */
export const TRUNCATED_MARKER = "… [truncated]";

/**
 * `text`, or when it is longer than `limit`, its start followed by
 * {@link TRUNCATED_MARKER}: `limit` characters of it, fewer when the result
 * would pass `hardMax` (the server's bound, which counts the marker too). A
 * surrogate pair is never split.
 */
export function truncateText(text: string, limit: number, hardMax: number = limit): string {
  if (text.length <= Math.min(limit, hardMax)) return text;
  let keep = Math.max(0, Math.min(limit, hardMax - TRUNCATED_MARKER.length));
  const last = text.charCodeAt(keep - 1);
  if (last >= 0xd800 && last <= 0xdbff) keep--;
  return text.slice(0, keep) + TRUNCATED_MARKER;
}

/**
 * `,"key":"<escaped text>"`, cut past `maxChars` (`maxValueBytes`, so one event
 * cannot outgrow a batch) and always within the server's {@link LIMITS}.textChars.
 */
export function textField(key: string, text: string | undefined, maxChars: number): string {
  if (text === undefined) return "";
  return `,"${key}":${JSON.stringify(truncateText(text, maxChars, LIMITS.textChars))}`;
}

/** `,"name":<json>` for a run or task name, cut to the server's {@link LIMITS}.nameChars. */
function nameField(name: unknown): string {
  return typeof name === "string" ? `,"name":${JSON.stringify(truncateText(name, LIMITS.nameChars))}` : "";
}

/** `,"usage":{…}` for a usage already checked by `checkUsage`, "" when undefined. */
export function usageField(usage: Usage | undefined): string {
  if (usage === undefined) return "";
  let json = "";
  for (const key of Object.keys(usage) as (keyof Usage)[]) {
    json += `${json === "" ? "" : ","}"${key}":${usage[key]}`;
  }
  return `,"usage":{${json}}`;
}

/** `,"key":<json>` for a string the SDK did not make (so it is escaped), "" when undefined. */
function stringField(key: string, text: unknown): string {
  return typeof text === "string" ? `,"${key}":${JSON.stringify(text)}` : "";
}

function runStartFields(event: PendingEvent, maxBytes: number): string {
  const extras = event.c as RunStartExtras;
  return (
    nameField(event.a) +
    valueField("input", event.b, maxBytes) +
    valueField("metadata", extras.metadata, maxBytes) +
    (extras.tags === undefined ? "" : `,"tags":${JSON.stringify(extras.tags)}`) +
    stringField("parentRunId", extras.parentRunId) +
    (extras.heartbeatTimeoutMs === undefined ? "" : `,"heartbeatTimeoutMs":${extras.heartbeatTimeoutMs}`)
  );
}

/** The fields after `type` (and `taskId`), by type; see the slot table on {@link PendingEvent}. */
function fields(event: PendingEvent, maxBytes: number): string {
  switch (event.type) {
    case "task.start":
      return nameField(event.a) + valueField("input", event.b, maxBytes) + stringField("parentTaskId", event.c);
    case "task.complete":
    case "run.complete":
      return valueField("output", event.b, maxBytes) + usageField(event.c as Usage | undefined);
    case "task.fail":
    case "run.fail": {
      const info = event.a as FailInfo;
      return (
        textField("errorMessage", info.message, maxBytes) +
        textField("errorStack", info.stack, maxBytes) +
        valueField("output", info.output, maxBytes) +
        usageField(info.usage)
      );
    }
    case "task.log":
    case "run.log": {
      const level = event.c as LogLevel | undefined;
      return (
        textField("message", event.a as string, maxBytes) +
        (level === undefined ? "" : `,"level":"${level}"`) +
        valueField("attributes", event.b, maxBytes)
      );
    }
    case "task.update": {
      const progress = event.c as number | undefined;
      return textField("statusMessage", event.a as string | undefined, maxBytes) + (progress === undefined ? "" : `,"progress":${progress}`);
    }
    case "task.skip":
      return textField("reason", event.a as string | undefined, maxBytes);
    case "run.start":
      return runStartFields(event, maxBytes);
    case "run.heartbeat":
      return "";
  }
}

/** `","type":"<type>"` (the `ts` string's close quote, then the type), made once per type. */
const TYPE_FIELD = new Map<string, string>();

function typeField(type: string): string {
  let field = TYPE_FIELD.get(type);
  if (field === undefined) {
    field = `","type":"${type}"`;
    TYPE_FIELD.set(type, field);
  }
  return field;
}

/**
 * The event's JSON text. `id` is its event id (made at encode time: ids only
 * need to be unique). Never throws: user values go through `serializeValue`.
 */
export function encodeEvent(event: PendingEvent, id: string, maxBytes: number): string {
  const run = event.run;
  const ms = run.epochMs + event.msOffset;
  const taskId = event.task === undefined ? "" : `,"taskId":"${run.taskIds.idOf(event.task)}"`;
  let rest: string;
  try {
    rest = fields(event, maxBytes);
  } catch {
    // Unreachable: user values go through serializeValue and the rest was checked at the
    // call. Were it reached, the encode pass must not throw (it runs on its own macrotask):
    // the server then rejects the event, which is counted and reported.
    rest = "";
  }
  return `{"id":"${id}${run.envelopeJson}${seqText(ms, event.seqOffset)},"ts":"${isoAt(ms)}${typeField(event.type)}${taskId}${rest}}`;
}

/**
 * The queue's encoder: each event's JSON with a fresh event id (a per-client
 * random prefix plus a counter, made at encode time: ids only need to be unique).
 */
export function createEncoder(maxValueBytes: number): (event: PendingEvent) => string {
  const eventIds = new IdSequence();
  return (event) => encodeEvent(event, eventIds.next(), maxValueBytes);
}
