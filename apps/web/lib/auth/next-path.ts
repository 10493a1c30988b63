/**
 * The `?next=` of the login page, kept only when it is a path of this site: "/runs?x=1"
 * stays, "https://evil.example", "//evil.example", "/\\evil.example" and anything odd
 * become "/". Keeps the user where they were without making us an open redirect.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.length > 2000) return "/";
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\\\u0000-\u001f\u007f]/.test(value)) return "/";
  try {
    const base = "http://runtrail.invalid";
    const url = new URL(value, base);
    if (url.origin !== base) return "/";
    const path = `${url.pathname}${url.search}${url.hash}`;
    return path.startsWith("/login") || path.startsWith("/auth/") ? "/" : path;
  } catch {
    return "/";
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
