/**
 * Postgres refuses NUL characters in text and jsonb, and lone UTF-16 surrogates
 * cannot be encoded as UTF-8. Both can arrive in valid JSON (as \u0000 or
 * \ud800 escapes), and NUL in a URL (%00). In names, texts, tags and payloads
 * they are replaced by U+FFFD rather than failing the event; ids, which must
 * stay exactly what the client will ask for, are refused instead (`unstorable`).
 */

// Only bodies whose raw text holds such an escape (or a raw NUL) need the deep walk.
const SUSPECT = /\\u0000|\\u[dD][89abAB]|\\u[dD][c-fC-F]/;

export function needsSanitizing(rawJson: string): boolean {
  return SUSPECT.test(rawJson) || rawJson.includes("\u0000");
}

/** Why `s` cannot be stored as it is, or null when it can. */
export function unstorable(s: string): string | null {
  if (s.includes("\u0000")) return "contains a NUL character (U+0000), which cannot be stored";
  if (!s.isWellFormed()) return "contains a lone UTF-16 surrogate, which cannot be stored";
  return null;
}

/** `s` with each NUL and lone surrogate replaced by U+FFFD (same length). */
export function storableText(s: string): string {
  return s.replaceAll("\u0000", "\uFFFD").toWellFormed();
}

/**
 * Deep copy of a parsed JSON value with every string (and key) made storable.
 * Recursive: call it only on values whose depth was checked (`jsonDepth`).
 */
export function sanitize(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(sanitize);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      // defineProperty, not assignment: a "__proto__" key must stay an own key.
      Object.defineProperty(out, storableText(k), { value: sanitize(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
