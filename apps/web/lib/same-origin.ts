/**
 * True unless the browser says the request came from another site. The dashboard
 * has no login yet, so its state-changing routes at least refuse cross-site posts
 * (a form on another page must not cancel runs). Non-browser clients send no
 * Origin and pass; they could call the API anyway.
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
