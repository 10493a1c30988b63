import { randomUUID } from "node:crypto";
import { type Db, forgiveLoginAttempt, type LoginAttempt, type LoginVerdict, purgeLoginFailures, takeLoginAttempt as takeAttempt } from "@runtrail/db";
import { processSingleton } from "../process-singleton";

/**
 * The sign-in throttle, kept in the store (`login_failures`, see
 * packages/db/src/queries/login-throttle.ts), so every replica on one Postgres counts
 * the same attempts; on PGlite (one process) the same table serves. Per 15 minutes:
 * 10 attempts for one email from one address, 50 from one address, and once an email
 * has 50 from anywhere, only addresses that have not failed for it may still try.
 * Nobody can lock an account's owner out from another address; a guesser needs a new
 * address for every guess past that, and addresses come from the socket or a trusted
 * proxy (client-address.ts), never from a header a client may set.
 */
export const LOGIN_LIMITS = { pair: 10, address: 50, email: 50, windowMs: 15 * 60_000 } as const;

const WHY: Record<Exclude<LoginVerdict, { ok: true }>["what"], string> = {
  pair: "too many failed sign-ins for this email from your address",
  address: "too many failed sign-ins from your address",
  email: "this account is being guessed from many addresses, and yours has failed for it",
};

export type Throttle = { ok: true; attempt: LoginAttempt } | { ok: false; retryAfterS: number; message: string };

/** Purges old attempts every few minutes, one timer per process. */
function schedulePurge(db: Db): void {
  processSingleton("login-purge", () => setInterval(() => void purgeLoginFailures(db, LOGIN_LIMITS.windowMs).catch(() => {}), 5 * 60_000).unref());
}

/**
 * Asks to try a sign-in now. When allowed, the attempt is counted as a failure until
 * `noteLoginSuccess` takes it back (so guesses sent at once are limited like guesses
 * in a row); else how long to wait and why.
 */
export async function takeLoginAttempt(db: Db, email: string, address: string): Promise<Throttle> {
  schedulePurge(db);
  const attempt: LoginAttempt = { email, address, attempt: randomUUID() };
  const verdict = await takeAttempt(db, attempt, LOGIN_LIMITS);
  if (verdict.ok) return { ok: true, attempt };
  const retryAfterS = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  return { ok: false, retryAfterS, message: `${WHY[verdict.what]}: try again in ${Math.ceil(retryAfterS / 60)} minute(s)` };
}

/** A right password: its own attempt and its address's failures for that email are forgiven. */
export function noteLoginSuccess(db: Db, attempt: LoginAttempt): Promise<void> {
  return forgiveLoginAttempt(db, attempt);
}
