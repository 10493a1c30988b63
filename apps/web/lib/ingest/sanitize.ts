/**
 * Postgres refuses NUL characters in text and jsonb, and lone UTF-16 surrogates
 * cannot be encoded as UTF-8. Both can arrive in valid JSON (as \u0000 or
 * \ud800 escapes); they are replaced by U+FFFD rather than failing the batch.
 */

// Only bodies whose raw text holds such an escape (or a raw NUL) need the deep walk.
const SUSPECT = /\\u0000|\\u[dD][89abAB]|\\u[dD][c-fC-F]/;

export function needsSanitizing(rawJson: string): boolean {
  return SUSPECT.test(rawJson) || rawJson.includes(String.fromCharCode(0));
}

function cleanString(s: string): string {
  return s.replaceAll("\u0000", "\uFFFD").toWellFormed();
}

/** Deep copy of a parsed JSON value with every string (and key) made storable. */
export function sanitize(value: unknown): unknown {
  if (typeof value === "string") return cleanString(value);
  if (Array.isArray(value)) return value.map(sanitize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[cleanString(k)] = sanitize(v);
    return out;
  }
  return value;
}
