/**
 * True unless the browser says the request came from another site. The first check of
 * every state-changing dashboard route, before its CSRF token (lib/auth/route-guard.ts).
 * Non-browser clients send no Origin and pass here; the token stops them there.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return true;
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
