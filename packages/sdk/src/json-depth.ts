/**
 * The server refuses inputs, outputs, metadata and log attributes nested deeper
 * than {@link LIMITS}.jsonDepth (Postgres parses jsonb recursively), and a refused
 * terminal event would leave its task running for good. So the SDK cuts a value
 * that is too deep: each object or array at the deepest allowed level that still
 * holds objects or arrays becomes a {@link DepthMarker}. Depth counts containers:
 * `[]` and `{}` are 1, `{"a":[]}` is 2.
 */

/** What replaces a subtree past the depth limit. */
export interface DepthMarker {
  $truncated: true;
  /** The limit: the value held objects or arrays below this level. */
  nestedDeeperThan: number;
}

/**
 * True when the JSON text `json` nests containers more than `limit` deep. One
 * pass over the text, jumping over strings with `indexOf` (a third of the cost of
 * `JSON.stringify` on typical payloads); text shorter than `2 * limit + 2` cannot be.
 */
export function jsonDeeperThan(json: string, limit: number): boolean {
  if (json.length <= 2 * limit + 1) return false;
  let depth = 0;
  for (let i = 0; i < json.length; ) {
    const c = json.charCodeAt(i++);
    if (c === 0x22) i = stringEnd(json, i);
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

/** The index just past the closing quote of the string whose body starts at `from`. */
function stringEnd(json: string, from: number): number {
  let quote = json.indexOf('"', from);
  while (quote > 0 && escaped(json, quote)) quote = json.indexOf('"', quote + 1);
  return quote < 0 ? json.length : quote + 1;
}

/** A quote is escaped when an odd number of backslashes precede it. */
function escaped(json: string, at: number): boolean {
  let backslashes = 0;
  for (let k = at - 1; json.charCodeAt(k) === 0x5c; k--) backslashes++;
  return backslashes % 2 === 1;
}

const isContainer = (v: unknown): v is object => v !== null && typeof v === "object";

/** A copy of the parsed JSON `value` (a container at `depth`) with nothing past `limit`. */
function cap(value: object, depth: number, limit: number): unknown {
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  if (depth >= limit && children.some(isContainer)) {
    const marker: DepthMarker = { $truncated: true, nestedDeeperThan: limit };
    return marker;
  }
  const down = (v: unknown) => (isContainer(v) ? cap(v, depth + 1, limit) : v);
  if (Array.isArray(value)) return value.map(down);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    // defineProperty: a "__proto__" key (JSON.parse makes it an own key) stays data.
    Object.defineProperty(out, key, { value: down(v), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** JSON text of `json` (itself valid JSON) with every subtree past `limit` levels replaced by a marker. */
export function capJsonDepth(json: string, limit: number): string {
  const value: unknown = JSON.parse(json);
  return JSON.stringify(isContainer(value) ? cap(value, 1, limit) : value);
}
