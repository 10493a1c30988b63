/**
 * The JSON viewer's decisions, kept pure so they can be tested without a DOM: what a
 * value is, how big it is, how much of it to show first, and how to recognise the
 * markers the SDK puts in place of values it could not send whole.
 */

/** Characters of a string shown before "show all". */
export const STRING_PREVIEW_CHARS = 300;
/** Lines of a multi-line string shown before "show all". */
export const STRING_PREVIEW_LINES = 12;
/** Entries of an object or array rendered at first, and added per "show more". */
export const ENTRY_PAGE = 100;
/** Containers this deep (the root is 0) or shallower start open... */
export const OPEN_DEPTH = 1;
/** ...when they have at most this many entries (the root always starts open). */
export const OPEN_MAX_ENTRIES = 25;

export type JsonKind = "object" | "array" | "string" | "number" | "boolean" | "null";

export function kindOf(value: unknown): JsonKind {
  if (value === null || value === undefined) return "null";
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
    case "bigint":
      return "number";
    case "boolean":
      return "boolean";
    default:
      return "object";
  }
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;

/** "{12 keys}", "[340 items]": what a collapsed container shows. */
export function sizeLabel(kind: "object" | "array", size: number): string {
  return kind === "array" ? `[${plural(size, "item", "items")}]` : `{${plural(size, "key", "keys")}}`;
}

/** Longest inline preview of a collapsed container. */
export const PREVIEW_CHARS = 60;

/**
 * A small container of primitives written on one line, `{"attempt": 1, "ok": true}` or
 * `[1, 2, 3]`, when all of it fits in `max` characters; null otherwise (the size label
 * shows instead). Stops reading at the first entry that does not fit.
 */
export function inlinePreview(value: unknown, max = PREVIEW_CHARS): string | null {
  const kind = kindOf(value);
  if (kind !== "object" && kind !== "array") return null;
  const parts: string[] = [];
  let length = 2;
  const entries = kind === "array" ? (value as unknown[]).entries() : Object.entries(value as object).values();
  for (const [k, v] of entries) {
    const vk = kindOf(v);
    if (vk === "object" || vk === "array") return null;
    const text = vk === "string" && (v as string).length > max ? null : primitiveText(v);
    if (text === null) return null;
    const part = kind === "array" ? text : `${JSON.stringify(k)}: ${text}`;
    length += part.length + (parts.length > 0 ? 2 : 0);
    if (length > max) return null;
    parts.push(part);
  }
  if (parts.length === 0) return null;
  return kind === "array" ? `[${parts.join(", ")}]` : `{${parts.join(", ")}}`;
}

/** Whether expanding or collapsing "all" would change anything: a container holding a container. */
export function hasNestedContainer(value: unknown): boolean {
  const kind = kindOf(value);
  if (kind !== "object" && kind !== "array") return false;
  for (const v of Object.values(value as object)) {
    const k = kindOf(v);
    if (k === "object" || k === "array") return true;
  }
  return false;
}

/** Whether a container starts open: the root always, shallow and small ones too. */
export function startsOpen(depth: number, size: number): boolean {
  return depth === 0 || (depth <= OPEN_DEPTH && size <= OPEN_MAX_ENTRIES);
}

/** How many entries show after one more "show more" click, from `shown` of `total`. */
export function nextShown(total: number, shown: number, page = ENTRY_PAGE): number {
  return Math.min(total, shown + page);
}

/** The "show more" button's words, or null when everything shows. */
export function moreLabel(total: number, shown: number, page = ENTRY_PAGE): string | null {
  const hidden = total - shown;
  if (hidden <= 0) return null;
  const step = Math.min(hidden, page);
  return step === hidden ? `Show ${plural(hidden, "more", "more")}` : `Show ${step.toLocaleString("en-US")} more (${hidden.toLocaleString("en-US")} hidden)`;
}

export interface CutString {
  /** The head shown before "show all": the whole string when nothing is cut. */
  head: string;
  /** Characters left out of the head; 0 when the whole string shows. */
  hidden: number;
}

/**
 * The head of a long string: at most `chars` characters and `lines` lines, never
 * splitting a surrogate pair. A cut that would hide only a few characters is not
 * worth a button, so strings within 10% of the limit show whole.
 */
export function cutString(text: string, chars = STRING_PREVIEW_CHARS, lines = STRING_PREVIEW_LINES): CutString {
  let end = text.length <= chars * 1.1 ? text.length : chars;
  let newlines = 0;
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10 && ++newlines === lines) {
      end = i;
      break;
    }
  }
  if (end >= text.length) return { head: text, hidden: 0 };
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { head: text.slice(0, end), hidden: text.length - end };
}

export function isMultiline(text: string): boolean {
  return text.includes("\n");
}

/** What the SDK sends instead of a value over its size limit (packages/sdk/src/encode.ts). */
export interface TruncatedMarker {
  originalBytes: number;
  /** The head of the value's JSON text; usually not valid JSON on its own. */
  preview: string;
}

export function truncatedMarker(value: unknown): TruncatedMarker | null {
  if (kindOf(value) !== "object") return null;
  const v = value as Record<string, unknown>;
  if (v.$truncated !== true || typeof v.originalBytes !== "number") return null;
  return { originalBytes: v.originalBytes, preview: typeof v.preview === "string" ? v.preview : "" };
}

/** What the SDK sends instead of a value JSON.stringify refused (a cycle, a BigInt): the reason. */
export function unserializableReason(value: unknown): string | null {
  if (kindOf(value) !== "object") return null;
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  return keys.length === 1 && typeof v.$unserializable === "string" ? v.$unserializable : null;
}

/** "812 B", "4.2 kB", "1.2 MB": decimal units, as byte counts are usually quoted. */
export function formatBytes(bytes: number): string {
  const units = ["kB", "MB", "GB", "TB"];
  let n = bytes;
  let unit = -1;
  // 999.5 and up would print as "1000": move to the next unit first.
  while (n >= 999.5 && unit < units.length - 1) {
    n /= 1000;
    unit += 1;
  }
  if (unit < 0) return `${bytes} B`;
  return `${n < 9.95 ? n.toFixed(1) : Math.round(n)} ${units[unit]}`;
}

/** A primitive as JSON text: strings quoted and escaped, as they would be copied. */
export function primitiveText(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "bigint") return value.toString();
  return JSON.stringify(value) ?? String(value);
}
