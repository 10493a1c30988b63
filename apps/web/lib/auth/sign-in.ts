import { createSession, type Db, deleteSession, findUserByEmail, hashPassword, hashSessionToken, needsRehash, noteLogin, verifyPassword } from "@runtrail/db";
import { apiError, json } from "../api/responses";
import { env } from "../env";
import { processSingleton } from "../process-singleton";
import { clearCookie, readCookie, requestCookies, setCookie } from "./cookies";
import { clientAddress } from "./client-address";
import { noteLoginSuccess, takeLoginAttempt } from "./throttle";
import { SESSION_TIMES } from "./viewer";

/**
 * Password checks (scrypt, ~100 ms of CPU each) running at once in this process: past
 * this many, a sign-in is a 429 rather than one more queued hash.
 */
const MAX_CHECKING = 16;
const checking = processSingleton("sign-ins-checking", () => ({ count: 0 }));

/**
 * Checks an email and password and answers with a new session cookie, or with 401
 * (the same "wrong email or password" and the same scrypt work whether the email
 * exists or not), 403 for a disabled user who knew the password, 429 when throttled.
 */
export async function signIn(request: Request, db: Db, email: string, password: string, next: string): Promise<Response> {
  if (checking.count >= MAX_CHECKING) {
    return apiError(429, "too_many_attempts", "too many sign-ins being checked at once on this server: try again in a second", { headers: { "retry-after": "1" } });
  }
  const taken = await takeLoginAttempt(db, email, clientAddress(request.headers));
  if (!taken.ok) return apiError(429, "too_many_attempts", taken.message, { headers: { "retry-after": String(taken.retryAfterS) } });
  checking.count++;
  let user: Awaited<ReturnType<typeof findUserByEmail>>;
  let ok: boolean;
  try {
    user = await findUserByEmail(db, email);
    ok = await verifyPassword(password, user?.passwordHash ?? null);
  } finally {
    checking.count--;
  }
  // A wrong password, a disabled account and a broken one look the same to the guesser: the attempt stays counted.
  if (!user || !ok) return apiError(401, "invalid_credentials", "wrong email or password");
  if (user.disabledAt) return apiError(403, "account_disabled", "this account is disabled: ask an admin to enable it");
  await noteLoginSuccess(db, taken.attempt);
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
