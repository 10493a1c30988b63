import { env } from "../env";

/**
 * The dashboard's cookies. Over https they carry the `__Host-` prefix, which browsers
 * only accept with Secure, Path=/ and no Domain: a sibling subdomain cannot plant one.
 */

export const COOKIES = {
  /** The random session token (its sha256 is the row id). */
  session: "runtrail_session",
  /** Double-submit token of the sign-in form, before any session exists. */
  loginCsrf: "runtrail_login_csrf",
  /** The project the dashboard shows; checked against the viewer's projects on every request. */
  project: "runtrail_project",
} as const;

export type CookieName = keyof typeof COOKIES;

/** Whether cookies set in answer to `request` are Secure (RUNTRAIL_SECURE_COOKIES, else the request's scheme). */
export function secureFor(request: Request): boolean {
  if (env.secureCookies !== "auto") return env.secureCookies === "always";
  const proto = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim();
  return proto ? proto === "https" : new URL(request.url).protocol === "https:";
}

const nameFor = (name: CookieName, secure: boolean) => (secure ? `__Host-${COOKIES[name]}` : COOKIES[name]);

/** A cookie's value from a cookie jar (either spelling; the `__Host-` one wins). */
export function readCookie(get: (name: string) => string | undefined, name: CookieName): string | undefined {
  return get(`__Host-${COOKIES[name]}`) ?? get(COOKIES[name]);
}

/** Cookie values of a raw request (route handlers that hold a Request). */
export function requestCookies(request: Request): (name: string) => string | undefined {
  const jar = new Map<string, string>();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0) {
      const k = part.slice(0, eq).trim();
      if (!jar.has(k)) jar.set(k, part.slice(eq + 1).trim());
    }
  }
  return (name) => jar.get(name);
}

export interface CookieOptions {
  maxAgeS: number;
  sameSite?: "Lax" | "Strict";
}

/** A Set-Cookie header value: HttpOnly always, Secure (and `__Host-`) over https. */
export function setCookie(request: Request, name: CookieName, value: string, options: CookieOptions): string {
  const secure = secureFor(request);
  const parts = [`${nameFor(name, secure)}=${value}`, "Path=/", "HttpOnly", `SameSite=${options.sameSite ?? "Lax"}`, `Max-Age=${Math.max(0, Math.floor(options.maxAgeS))}`];
  if (secure) parts.push("Secure");
  return parts.join("; ");
}

/** Set-Cookie values that remove both spellings of a cookie. */
export function clearCookie(name: CookieName): string[] {
  return [`${COOKIES[name]}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`, `__Host-${COOKIES[name]}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0; Secure`];
}
