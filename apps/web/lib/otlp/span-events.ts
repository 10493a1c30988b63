import { boundValue, type Notes, type ValueLimits } from "./any-value";
import { readGenAi } from "./gen-ai";
import { OTLP_TAG, type OtlpContext, type OtlpSpan, SPAN_KINDS } from "./model";

/**
 * A span as events of our own wire protocol, so OTLP goes through the same ingest as
 * the SDKs and keeps every promise by construction (duplicates stored once, any order,
 * first terminal wins):
 *
 * - trace id → run id, span id → task id, parent span → parent task;
 * - `task.start` at the span's start, `task.complete` / `task.fail` (status ERROR) at its
 *   end, a `task.log` per span event; event ids are the span id plus a fixed suffix, so a
 *   span sent twice is the same events twice;
 * - seq is the event's time in microseconds since the epoch: the SDK's hybrid clock
 *   (`max(prev + 1, Date.now() * 1000)`) without the +1, so spans from any process and
 *   any request sort by time;
 * - a trace has no event of its own: its root span (no parent) also makes `run.start`
 *   (name, input, the resource's attributes as metadata, tag `otlp`) and the run's end
 *   (its status). Until the root arrives the run is a placeholder, as for SDK events that
 *   beat their run.start. A span whose parent is remote (another process, per OTLP's
 *   span flags) is this process's local root: it starts and ends the run too, but
 *   LOCAL_ROOT_OFFSET later in seq, so the trace's real root wins whenever it arrives.
 */

/** Task attributes ride on task.start beside the wire fields (the event parser would drop an unknown field). */
export const SPAN_ATTRIBUTES = Symbol("span attributes");

export type WireEvent = Record<string, unknown> & { [SPAN_ATTRIBUTES]?: Record<string, unknown> };

/** About 31.7 years in microseconds: more than any trace lasts, and seqs stay below 2^53 until 2200. */
export const LOCAL_ROOT_OFFSET = 1e15;
const TRUNCATED = "… [truncated]";

export interface TextLimits {
  nameChars: number;
  textChars: number;
}

const micros = (ns: bigint) => Number(ns / 1000n);
const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

/** `s` cut to `max` characters, ending in the SDK's marker. */
function cut(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - TRUNCATED.length)}${TRUNCATED}`.toWellFormed();
}

/** What OTLP says about a span beyond its attributes, under OTel's own `otel.*` names. */
function spanFacts(span: OtlpSpan, context: OtlpContext): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  const service = context.resource["service.name"];
  if (service !== undefined) facts["service.name"] = service;
  if (context.scopeName) facts["otel.scope.name"] = context.scopeName;
  if (context.scopeVersion) facts["otel.scope.version"] = context.scopeVersion;
  if (span.kind > 1) facts["otel.span.kind"] = SPAN_KINDS[span.kind] ?? span.kind;
  if (span.statusMessage && span.statusCode !== 2) facts["otel.status_description"] = span.statusMessage;
  if (span.links > 0) facts["otel.links"] = span.links;
  if (span.traceState) facts["otel.trace_state"] = span.traceState;
  if (span.dropped.attributes > 0) facts["otel.dropped_attributes_count"] = span.dropped.attributes;
  if (span.dropped.events > 0) facts["otel.dropped_events_count"] = span.dropped.events;
  return facts;
}

/** The error of a span with status ERROR: its last exception event, else the status message. */
function errorOf(span: OtlpSpan, limits: TextLimits): { errorMessage: string; errorStack?: string } {
  const exception = span.events.findLast((e) => e.name === "exception")?.attributes ?? {};
  const text = (k: string) => (typeof exception[k] === "string" && exception[k] !== "" ? (exception[k] as string) : null);
  const message = text("exception.message") ?? (span.statusMessage || null) ?? text("exception.type") ?? "the span ended with status ERROR";
  const stack = text("exception.stacktrace");
  return { errorMessage: cut(message, limits.textChars), ...(stack ? { errorStack: cut(stack, limits.textChars) } : {}) };
}

function logOf(e: OtlpSpan["events"][number], limits: TextLimits): { message: string; level: string; attributes?: Record<string, unknown> } {
  const exception = e.name === "exception";
  const detail = exception ? [e.attributes["exception.type"], e.attributes["exception.message"]].filter((v) => typeof v === "string" && v !== "").join(": ") : "";
  const message = cut(detail ? `exception: ${detail}` : e.name || "(unnamed event)", limits.textChars);
  return { message, level: exception ? "error" : "info", ...(Object.keys(e.attributes).length > 0 ? { attributes: e.attributes } : {}) };
}

/** The wire events of one span, in no particular order (seq orders them). */
export function spanEvents(span: OtlpSpan, context: OtlpContext, limits: TextLimits & ValueLimits, notes: Notes): WireEvent[] {
  const runId = span.traceId;
  const taskId = span.spanId;
  const gen = readGenAi(span);
  const where = `span ${taskId}`;
  const input = gen.input === undefined ? undefined : boundValue(gen.input, limits, notes, `${where} input`);
  const output = gen.output === undefined ? undefined : boundValue(gen.output, limits, notes, `${where} output`);
  const attributes: Record<string, unknown> = spanFacts(span, context);
  for (const [k, v] of Object.entries(span.attributes)) {
    if (gen.usedKeys.has(k)) continue;
    // Assignment would set the prototype for "__proto__": that one key is defined as data.
    if (k === "__proto__") Object.defineProperty(attributes, k, { value: v, enumerable: true, writable: true, configurable: true });
    else attributes[k] = v;
  }
  const name = cut(span.name || "(unnamed span)", limits.nameChars);
  const failed = span.statusCode === 2;
  const ended = span.endNs !== 0n;
  const at = (ns: bigint) => ({ runId, seq: micros(ns), ts: iso(ns) });

  const start: WireEvent = {
    id: `${taskId}:start`,
    type: "task.start",
    ...at(span.startNs),
    taskId,
    name,
    ...(span.parentSpanId ? { parentTaskId: span.parentSpanId } : {}),
    ...(input !== undefined ? { input } : {}),
  };
  start[SPAN_ATTRIBUTES] = attributes;
  const events: WireEvent[] = [start];
  const ending = { ...(output !== undefined ? { output } : {}), ...(gen.usage ? { usage: gen.usage } : {}) };
  if (ended) {
    events.push({ id: `${taskId}:end`, type: failed ? "task.fail" : "task.complete", ...at(span.endNs), taskId, ...ending, ...(failed ? errorOf(span, limits) : {}) });
  }
  span.events.forEach((e, i) => {
    if (!gen.usedEvents.has(i)) events.push({ id: `${taskId}:event:${i}`, type: "task.log", ...at(e.timeNs), taskId, ...logOf(e, limits) });
  });

  const root = span.parentSpanId === null;
  if (root || span.parentIsRemote) {
    const offset = root ? 0 : LOCAL_ROOT_OFFSET;
    const runAt = (ns: bigint) => ({ runId, seq: micros(ns) + offset, ts: iso(ns) });
    events.push({
      id: `${taskId}:run-start`,
      type: "run.start",
      ...runAt(span.startNs),
      // A root without a name: the service's name says more than a placeholder.
      name: span.name ? name : cut(typeof context.resource["service.name"] === "string" && context.resource["service.name"] ? context.resource["service.name"] : name, limits.nameChars),
      tags: [OTLP_TAG],
      metadata: context.resource,
      ...(input !== undefined ? { input } : {}),
    });
    if (ended) {
      events.push({
        id: `${taskId}:run-end`,
        type: failed ? "run.fail" : "run.complete",
        ...runAt(span.endNs),
        ...(output !== undefined ? { output } : {}),
        ...(failed ? errorOf(span, limits) : {}),
      });
    }
  }
  return events;
}
