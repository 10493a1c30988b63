import { env } from "./env";

/**
 * True unless the browser says the request came from another site. The first check of
 * every state-changing dashboard route, before its CSRF token (lib/auth/route-guard.ts).
 * Non-browser clients send no Origin and pass here; the token stops them there.
 *
 * An Origin must name the raw `Host` the request was sent to, or RUNTRAIL_PUBLIC_URL
 * (for a proxy in front that rewrites Host). `X-Forwarded-Host` is never read: any
 * client can send it, so trusting it lets a request name its own origin as ours.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = request.headers.get("origin");
  if (!origin) return true;
  let from: URL;
  try {
    from = new URL(origin);
  } catch {
    return false;
  }
  if (env.publicOrigin !== undefined && from.origin === env.publicOrigin) return true;
  return from.host === request.headers.get("host");
}
