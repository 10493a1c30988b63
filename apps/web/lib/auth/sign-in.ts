import { createSession, type Db, deleteSession, findUserByEmail, hashPassword, hashSessionToken, needsRehash, noteLogin, verifyPassword } from "@runtrail/db";
import { apiError, json } from "../api/responses";
import { env } from "../env";
import { clearCookie, readCookie, requestCookies, setCookie } from "./cookies";
import { clientAddress, loginBlocked, noteLoginFailure, noteLoginSuccess } from "./throttle";
import { SESSION_TIMES } from "./viewer";

/**
 * Checks an email and password and answers with a new session cookie, or with 401
 * (the same "wrong email or password" and the same scrypt work whether the email
 * exists or not), 403 for a disabled user who knew the password, 429 when throttled.
 */
export async function signIn(request: Request, db: Db, email: string, password: string, next: string): Promise<Response> {
  const address = clientAddress(request);
  const blocked = loginBlocked(email, address);
  if (blocked) {
    return apiError(429, "too_many_attempts", `too many failed sign-ins from ${blocked.what}: try again in ${Math.ceil(blocked.retryAfterS / 60)} minute(s)`, {
      headers: { "retry-after": String(blocked.retryAfterS) },
    });
  }
  const user = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, user?.passwordHash ?? null);
  if (!user || !ok) {
    noteLoginFailure(email, address);
    return apiError(401, "invalid_credentials", "wrong email or password");
  }
  if (user.disabledAt) return apiError(403, "account_disabled", "this account is disabled: ask an admin to enable it");
  noteLoginSuccess(email);
  // A session this browser already had (another user, or a planted one) ends here: one
  // browser, one session, and never one chosen by someone else.
  const previous = readCookie(requestCookies(request), "session");
  if (previous) await deleteSession(db, hashSessionToken(previous));
  const session = await createSession(db, user.id, SESSION_TIMES);
  await noteLogin(db, user.id, needsRehash(user.passwordHash) ? await hashPassword(password) : undefined);
  return sessionResponse(request, session.token, { ok: true, next });
}

/** A JSON answer that sets the session cookie (and drops the sign-in form's CSRF cookie). */
export function sessionResponse(request: Request, token: string, body: unknown): Response {
  const res = json(body);
  res.headers.append("set-cookie", setCookie(request, "session", token, { maxAgeS: env.sessionMaxAgeMs / 1000 }));
  for (const c of clearCookie("loginCsrf")) res.headers.append("set-cookie", c);
  return res;
}
