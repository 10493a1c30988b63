/**
 * The `?next=` of the login page, kept only when it is a path of this site: "/runs?x=1"
 * stays, "https://evil.example", "//evil.example", "/\\evil.example" and anything odd
 * become "/". Keeps the user where they were without making us an open redirect.
 *
 * The value is checked twice: raw (no backslash, no control character, a single
 * leading slash), and again once the URL parser has normalised it, because
 * normalising can *make* a second leading slash: "/..//evil.example",
 * "/.//evil.example", "/x/..//evil.example" and "/%2e%2e//evil.example" (the parser
 * reads "%2e%2e" as "..") all become "//evil.example", which a browser reads as
 * another host. What is returned is the normalised path, checked, and stable: parsed
 * again it is itself.
 */
const BASE = "http://runtrail.invalid";

export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || value.length > 2000 || !isPlainPath(value)) return "/";
  let path: string;
  try {
    const url = new URL(value, BASE);
    if (url.origin !== BASE) return "/";
    path = `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return "/";
  }
  if (!isPlainPath(path) || reparsed(path) !== path) return "/";
  return path.startsWith("/login") || path.startsWith("/auth/") ? "/" : path;
}

/**
 * One leading slash followed by something that is not a slash or backslash (a second
 * one makes a host), no backslash anywhere (browsers read it as a slash), no control
 * character or DEL (browsers drop tabs and newlines from URLs, so "/\t/evil" is
 * "//evil" to them).
 */
function isPlainPath(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  return /^\/(?![/\\])/.test(value) && !/[\\\u0000-\u001f\u007f]/.test(value);
}

/** The path as the parser leaves it when read again; null when it would leave this origin. */
function reparsed(path: string): string | null {
  try {
    const url = new URL(path, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : null;
  } catch {
    return null;
  }
}

/** Where a signed-out visitor of `path` is sent (`expired`: they had a session that ended). */
export function loginHref(path: string, expired = false): string {
  const next = safeNextPath(path);
  const q = new URLSearchParams();
  if (next !== "/") q.set("next", next);
  if (expired) q.set("reason", "expired");
  const qs = q.toString();
  return qs ? `/login?${qs}` : "/login";
}

/** A page's own path with its query, for `loginHref`. */
export function pathWithQuery(pathname: string, search: Record<string, string | string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(search)) {
    if (typeof v === "string") q.append(k, v);
    else if (Array.isArray(v)) for (const x of v) q.append(k, x);
  }
  const qs = q.toString();
  return qs ? `${pathname}?${qs}` : pathname;
}
