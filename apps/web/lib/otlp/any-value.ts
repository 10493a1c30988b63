import { storableText } from "@/lib/ingest/sanitize";

/**
 * OTLP AnyValue → JSON, for both encodings: a protobufjs message (the set member named
 * by its `value` oneof, int64 as a Long, bytes as a Uint8Array) or OTLP/JSON (one key
 * set, int64 as a decimal string or number, bytes as base64). Bounded as the SDK bounds
 * what it sends: nesting past `maxDepth` and values over `maxValueChars` are replaced by
 * the `$truncated` markers the dashboard shows as notices; strings are made storable
 * (NUL and lone surrogates become U+FFFD). Recursion stops at `maxDepth`, so a value
 * nested a million levels deep costs nothing more.
 */

export interface ValueLimits {
  maxDepth: number;
  maxValueChars: number;
}

export type Encoding = "protobuf" | "json";

/** Characters of a replaced value kept as its preview (as the SDK does). */
const PREVIEW_CHARS = 2000;

const MEMBERS = ["stringValue", "boolValue", "intValue", "doubleValue", "arrayValue", "kvlistValue", "bytesValue"] as const;
type Member = (typeof MEMBERS)[number];

interface Long {
  toString(): string;
}

/** Collects what was cut, for the answer's warning. */
export class Notes {
  readonly lines: string[] = [];
  count = 0;
  add(line: string): void {
    this.count += 1;
    // The warning names a few; the count says how many.
    if (this.lines.length < 5) this.lines.push(line);
  }
  /** The lines kept, and how many more there were. */
  summary(): string[] {
    const more = this.count - this.lines.length;
    return more > 0 ? [...this.lines, `and ${more} more`] : [...this.lines];
  }
}

function memberOf(v: Record<string, unknown>, encoding: Encoding): Member | undefined {
  if (encoding === "protobuf") {
    const set = v.value;
    return typeof set === "string" && (MEMBERS as readonly string[]).includes(set) ? (set as Member) : undefined;
  }
  return MEMBERS.find((m) => v[m] !== undefined && v[m] !== null);
}

/** An int64 as a JSON number when exact, else its decimal text. */
function int64(raw: unknown): number | string | null {
  let text: string;
  if (typeof raw === "number") return Number.isSafeInteger(raw) ? raw : Number.isFinite(raw) ? Math.trunc(raw) : null;
  if (typeof raw === "string") text = raw.trim();
  else if (raw !== null && typeof raw === "object") text = (raw as Long).toString();
  else return null;
  if (!/^-?\d{1,20}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : text;
}

function double(raw: unknown): number | string | null {
  const n = typeof raw === "number" ? raw : typeof raw === "string" ? Number(raw) : Number.NaN;
  // JSON (and so jsonb) has no NaN or Infinity: kept as their names.
  if (Number.isFinite(n)) return n;
  return typeof raw === "string" ? raw : String(raw);
}

function bytes(raw: unknown): string | null {
  if (raw instanceof Uint8Array) return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64");
  return typeof raw === "string" ? raw : null;
}

/** One AnyValue at `depth` (1 = an attribute's own value). */
function convert(raw: unknown, encoding: Encoding, limits: ValueLimits, depth: number): unknown {
  if (raw === null || typeof raw !== "object") return null;
  const v = raw as Record<string, unknown>;
  const member = memberOf(v, encoding);
  switch (member) {
    case "stringValue":
      return typeof v.stringValue === "string" ? storableText(v.stringValue) : null;
    case "boolValue":
      return typeof v.boolValue === "boolean" ? v.boolValue : null;
    case "intValue":
      return int64(v.intValue);
    case "doubleValue":
      return double(v.doubleValue);
    case "bytesValue":
      return bytes(v.bytesValue);
    case "arrayValue":
    case "kvlistValue": {
      if (depth >= limits.maxDepth) return { $truncated: true, nestedDeeperThan: limits.maxDepth };
      const inner = (v[member] as { values?: unknown } | null)?.values;
      const items = Array.isArray(inner) ? inner : [];
      if (member === "arrayValue") return items.map((item) => convert(item, encoding, limits, depth + 1));
      return keyValues(items, encoding, limits, depth + 1);
    }
    default:
      return null;
  }
}

function keyValues(items: unknown[], encoding: Encoding, limits: ValueLimits, depth: number): Record<string, unknown> {
  const entries: [string, unknown][] = [];
  for (const kv of items) {
    if (kv === null || typeof kv !== "object") continue;
    const { key, value } = kv as { key?: unknown; value?: unknown };
    if (typeof key !== "string") continue;
    entries.push([storableText(key), convert(value, encoding, limits, depth)]);
  }
  // fromEntries defines own properties: a "__proto__" key stays data.
  return Object.fromEntries(entries);
}

/** A value whose JSON is over the limit, replaced by the SDK's marker. */
function bounded(value: unknown, limits: ValueLimits): { value: unknown; cut: boolean } {
  if (value === null || typeof value === "number" || typeof value === "boolean") return { value, cut: false };
  if (typeof value === "string" && value.length <= limits.maxValueChars) return { value, cut: false };
  const json = JSON.stringify(value);
  if (json.length <= limits.maxValueChars) return { value, cut: false };
  return { value: { $truncated: true, originalBytes: Buffer.byteLength(json), preview: json.slice(0, PREVIEW_CHARS) }, cut: true };
}

/**
 * A KeyValue list (attributes) as a plain object; each value bounded, cuts noted as
 * `<where>.<key>`. Later duplicates of a key win, as in the OTel SDKs.
 */
export function readAttributes(raw: unknown, encoding: Encoding, limits: ValueLimits, notes: Notes, where: string): Record<string, unknown> {
  if (!Array.isArray(raw)) return {};
  const record = keyValues(raw, encoding, limits, 1);
  for (const [key, value] of Object.entries(record)) {
    const b = bounded(value, limits);
    if (b.cut) {
      Object.defineProperty(record, key, { value: b.value, enumerable: true, writable: true, configurable: true });
      notes.add(`${where}.${key}: over ${limits.maxValueChars} characters, replaced by a $truncated marker`);
    }
  }
  return record;
}

/** Any JSON value bounded like an attribute (input and output built from attributes or events). */
export function boundValue(value: unknown, limits: ValueLimits, notes: Notes, where: string): unknown {
  const b = bounded(value, limits);
  if (b.cut) notes.add(`${where}: over ${limits.maxValueChars} characters, replaced by a $truncated marker`);
  return b.value;
}
