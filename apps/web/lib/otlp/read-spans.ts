import { storableText } from "@/lib/ingest/sanitize";
import { type Encoding, type Notes, readAttributes, type ValueLimits } from "./any-value";
import type { OtlpContext, OtlpSpan, OtlpSpanEvent, ReadRequest, ReadSpan } from "./model";

/**
 * Walks an ExportTraceServiceRequest — a protobufjs message or parsed OTLP/JSON — into
 * spans. A container of the wrong shape (resourceSpans, scopeSpans or spans not a list
 * of objects) makes the whole body malformed (`RequestShapeError`, a 400); a span that
 * breaks a rule (ids of the wrong length, no start time) is rejected on its own.
 */

export class RequestShapeError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** Latest time a span may carry: seqs (microseconds) must stay below 2^53 with room for local-root offsets. */
const MAX_NS = BigInt(Date.UTC(2200, 0, 1)) * 1_000_000n;

const SPAN_FLAGS_HAS_IS_REMOTE = 0x100;
const SPAN_FLAGS_IS_REMOTE = 0x200;

const KIND_NAMES = ["SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER", "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"];
const STATUS_NAMES = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

class SpanError extends Error {}

function list(parent: Obj, key: string, at: string): Obj[] {
  const v = parent[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new RequestShapeError(`${at}.${key}`, "must be a list");
  v.forEach((item, i) => {
    if (!isObj(item)) throw new RequestShapeError(`${at}.${key}[${i}]`, "must be an object");
  });
  return v as Obj[];
}

function optionalObj(parent: Obj, key: string, at: string): Obj | null {
  const v = parent[key];
  if (v === undefined || v === null) return null;
  if (!isObj(v)) throw new RequestShapeError(`${at}.${key}`, "must be an object");
  return v;
}

/** A trace or span id as lower-case hex; `bytes` is 16 or 8. `required: false` allows it empty (no parent). */
function id(raw: unknown, bytes: number, field: string, encoding: Encoding, required: boolean): string | null {
  let hex: string;
  if (encoding === "protobuf") {
    const b = raw instanceof Uint8Array ? raw : new Uint8Array();
    if (b.byteLength === 0 && !required) return null;
    if (b.byteLength !== bytes) throw new SpanError(`${field}: ${b.byteLength} bytes; must be ${bytes}`);
    hex = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("hex");
  } else {
    if ((raw === undefined || raw === null || raw === "") && !required) return null;
    if (typeof raw !== "string" || !new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(raw)) {
      const got = typeof raw === "string" ? `${JSON.stringify(raw.slice(0, 40))}${raw.length > 40 ? "…" : ""}` : raw === undefined ? "nothing" : typeof raw;
      throw new SpanError(`${field}: must be ${bytes * 2} hex characters (OTLP/JSON writes ids in hex, not base64), got ${got}`);
    }
    hex = raw.toLowerCase();
  }
  if (/^0+$/.test(hex)) throw new SpanError(`${field}: all zeros is not a valid id`);
  return hex;
}

/** protobufjs's Long (fixed64 is unsigned: the bits are the value). */
const isLong = (v: unknown): v is { low: number; high: number } =>
  v !== null && typeof v === "object" && typeof (v as { low?: unknown }).low === "number" && typeof (v as { high?: unknown }).high === "number";

/** fixed64 nanoseconds: a Long or number (protobuf), a decimal string or number (JSON). */
function nanos(raw: unknown, field: string): bigint {
  let n: bigint;
  if (raw === undefined || raw === null) n = 0n;
  else if (typeof raw === "number" && Number.isFinite(raw) && raw >= 0) n = BigInt(Math.trunc(raw));
  else if (typeof raw === "string" && /^\d{1,20}$/.test(raw.trim())) n = BigInt(raw.trim());
  else if (isLong(raw)) n = (BigInt(raw.high >>> 0) << 32n) | BigInt(raw.low >>> 0);
  else throw new SpanError(`${field}: must be nanoseconds since the Unix epoch (an integer or a decimal string)`);
  if (n > MAX_NS) throw new SpanError(`${field}: ${n} is after the year 2200; must be nanoseconds since the Unix epoch`);
  return n;
}

function enumNumber(raw: unknown, names: string[]): number {
  if (typeof raw === "number" && Number.isInteger(raw)) return raw;
  if (typeof raw === "string") return Math.max(names.indexOf(raw), 0);
  return 0;
}

function text(raw: unknown, field: string): string {
  if (raw === undefined || raw === null) return "";
  if (typeof raw !== "string") throw new SpanError(`${field}: must be a string`);
  return storableText(raw);
}

function count(raw: unknown): number {
  return typeof raw === "number" && Number.isInteger(raw) && raw > 0 ? raw : 0;
}

function attributesOf(s: Obj, encoding: Encoding, limits: ValueLimits, notes: Notes, where: string): Record<string, unknown> {
  const raw = s.attributes;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw new SpanError("attributes: must be a list of { key, value }");
  return readAttributes(raw, encoding, limits, notes, where);
}

function readSpan(s: Obj, encoding: Encoding, limits: ValueLimits, notes: Notes): OtlpSpan {
  const traceId = id(s.traceId, 16, "traceId", encoding, true) ?? "";
  const spanId = id(s.spanId, 8, "spanId", encoding, true) ?? "";
  const parentSpanId = id(s.parentSpanId, 8, "parentSpanId", encoding, false);
  // OTLP requires a name, but an empty one costs the span nothing: span-events.ts names it.
  if (s.name !== undefined && s.name !== null && typeof s.name !== "string") throw new SpanError("name: must be a string");
  const startNs = nanos(s.startTimeUnixNano, "startTimeUnixNano");
  if (startNs === 0n) throw new SpanError("startTimeUnixNano: required");
  const endNs = nanos(s.endTimeUnixNano, "endTimeUnixNano");
  const flags = typeof s.flags === "number" ? s.flags : 0;
  const rawEvents = s.events ?? [];
  if (!Array.isArray(rawEvents)) throw new SpanError("events: must be a list");
  const events: OtlpSpanEvent[] = rawEvents.map((e, i) => {
    if (!isObj(e)) throw new SpanError(`events[${i}]: must be an object`);
    const timeNs = nanos(e.timeUnixNano, `events[${i}].timeUnixNano`);
    return {
      timeNs: timeNs === 0n ? startNs : timeNs,
      name: text(e.name, `events[${i}].name`),
      attributes: readAttributes(Array.isArray(e.attributes) ? e.attributes : [], encoding, limits, notes, `span ${spanId} events[${i}]`),
    };
  });
  const status = isObj(s.status) ? s.status : {};
  const links = Array.isArray(s.links) ? s.links.length : 0;
  return {
    traceId,
    spanId,
    parentSpanId,
    parentIsRemote: (flags & SPAN_FLAGS_HAS_IS_REMOTE) !== 0 && (flags & SPAN_FLAGS_IS_REMOTE) !== 0,
    name: typeof s.name === "string" ? storableText(s.name) : "",
    kind: enumNumber(s.kind, KIND_NAMES),
    startNs,
    // An end before the start (clock trouble) is drawn as an instant.
    endNs: endNs !== 0n && endNs < startNs ? startNs : endNs,
    attributes: attributesOf(s, encoding, limits, notes, `span ${spanId}`),
    events,
    statusCode: enumNumber(status.code, STATUS_NAMES),
    statusMessage: text(status.message, "status.message"),
    traceState: text(s.traceState, "traceState"),
    links,
    dropped: { attributes: count(s.droppedAttributesCount), events: count(s.droppedEventsCount), links: count(s.droppedLinksCount) },
  };
}

/** Every span of the request, in request order, each read or rejected on its own. */
export function readRequest(request: unknown, encoding: Encoding, limits: ValueLimits, notes: Notes): ReadRequest {
  if (!isObj(request)) throw new RequestShapeError("body", "must be an ExportTraceServiceRequest object");
  const spans: ReadSpan[] = [];
  list(request, "resourceSpans", "body").forEach((rs, i) => {
    const rsAt = `resourceSpans[${i}]`;
    const resource = optionalObj(rs, "resource", rsAt);
    const resourceAttributes = resource ? readAttributes(Array.isArray(resource.attributes) ? resource.attributes : [], encoding, limits, notes, `${rsAt}.resource`) : {};
    list(rs, "scopeSpans", rsAt).forEach((ss, j) => {
      const ssAt = `${rsAt}.scopeSpans[${j}]`;
      const scope = optionalObj(ss, "scope", ssAt);
      const context: OtlpContext = {
        resource: resourceAttributes,
        scopeName: typeof scope?.name === "string" ? storableText(scope.name) : "",
        scopeVersion: typeof scope?.version === "string" ? storableText(scope.version) : "",
      };
      list(ss, "spans", ssAt).forEach((s, k) => {
        const path = `${ssAt}.spans[${k}]`;
        try {
          spans.push({ ok: true, path, span: readSpan(s, encoding, limits, notes), context });
        } catch (err) {
          if (!(err instanceof SpanError)) throw err;
          spans.push({ ok: false, path, error: `${path}.${err.message}` });
        }
      });
    });
  });
  return { spans };
}
