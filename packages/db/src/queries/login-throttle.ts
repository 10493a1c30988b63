import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";

/**
 * Sign-in attempts counted in `login_failures`, shared by every process on the store.
 * Three counts over a sliding window decide whether an attempt may go ahead:
 *
 * - `pair`: this email from this address (stops one address guessing one account);
 * - `address`: this address, any email (stops one address spraying many accounts);
 * - `email`: this email from anywhere. Past its limit the account is under attack from
 *   many addresses; then an address that has failed for it must wait, but an address
 *   that has not (its owner, elsewhere) still may: a per-email limit that blocked
 *   everyone would let anyone lock an admin out.
 *
 * An attempt counts when it starts (one row per key), before its password is checked,
 * so guesses sent at once are limited like guesses in a row; a right password takes
 * back its own rows and forgives its pair. Attempts on one email or one address are
 * serialised by advisory locks (email, then address: always the same order), so
 * concurrent guesses on any number of processes cannot both see "one left".
 */

export interface LoginLimits {
  pair: number;
  address: number;
  email: number;
  windowMs: number;
}

export interface LoginAttempt {
  email: string;
  address: string;
  /** A random id for this attempt (forgiveLoginAttempt takes it back). */
  attempt: string;
}

export type LoginVerdict = { ok: true } | { ok: false; what: "pair" | "address" | "email"; retryAfterMs: number };

const digest = (text: string) => createHash("sha256").update(text).digest("base64url");

/** The rows' keys of an attempt: emails by their hash, never as typed. */
export function loginKeys(email: string, address: string): { pair: string; address: string; email: string } {
  const e = digest(email.trim().toLowerCase());
  return { pair: `pair:${e}:${address}`, address: `addr:${address}`, email: `email:${e}` };
}

interface Counts {
  pair: number;
  addr: number;
  email: number;
  pair_oldest: Date | string | null;
  pair_newest: Date | string | null;
  addr_oldest: Date | string | null;
  inserted: number;
  now: Date | string;
}

const ms = (t: Date | string | null, fallback: number) => (t === null ? fallback : new Date(t).getTime());

export async function takeLoginAttempt(db: Db, attempt: LoginAttempt, limits: LoginLimits): Promise<LoginVerdict> {
  const keys = loginKeys(attempt.email, attempt.address);
  const windowS = limits.windowMs / 1000;
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${keys.email}, 7))`);
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${keys.address}, 7))`);
    const [row] = await selectRows<Counts>(
      tx as unknown as Db,
      sql`with c as (
            select count(*) filter (where key = ${keys.pair})::int as pair,
                   count(*) filter (where key = ${keys.address})::int as addr,
                   count(*) filter (where key = ${keys.email})::int as email,
                   min(at) filter (where key = ${keys.pair}) as pair_oldest,
                   max(at) filter (where key = ${keys.pair}) as pair_newest,
                   min(at) filter (where key = ${keys.address}) as addr_oldest
              from login_failures
             where key in (${keys.pair}, ${keys.address}, ${keys.email}) and at > now() - make_interval(secs => ${windowS}::float8)
          ), ins as (
            insert into login_failures (key, attempt, at)
            select k, ${attempt.attempt}, now()
              from c, unnest(array[${keys.pair}, ${keys.address}, ${keys.email}]::text[]) as k
             where c.pair < ${limits.pair} and c.addr < ${limits.address} and not (c.email >= ${limits.email} and c.pair > 0)
            returning 1
          )
          select c.*, (select count(*) from ins)::int as inserted, now() as now from c`,
    );
    if (!row) throw new Error("login throttle: the count returned no row");
    if (row.inserted > 0) return { ok: true } as const;
    const now = ms(row.now, Date.now());
    const until = (t: Date | string | null) => Math.max(1000, ms(t, now) + limits.windowMs - now);
    if (row.pair >= limits.pair) return { ok: false, what: "pair", retryAfterMs: until(row.pair_oldest) } as const;
    if (row.addr >= limits.address) return { ok: false, what: "address", retryAfterMs: until(row.addr_oldest) } as const;
    // Under attack from many addresses: this one failed for the email, so it waits until its last failure leaves the window.
    return { ok: false, what: "email", retryAfterMs: until(row.pair_newest) } as const;
  });
}

/** A right password: the attempt's own rows go, and so do its pair's earlier failures (the address's other failures stay). */
export async function forgiveLoginAttempt(db: Db, attempt: LoginAttempt): Promise<void> {
  const keys = loginKeys(attempt.email, attempt.address);
  await db.execute(sql`delete from login_failures where (attempt = ${attempt.attempt} and key in (${keys.address}, ${keys.email})) or key = ${keys.pair}`);
}

/** Deletes attempts older than the window. */
export async function purgeLoginFailures(db: Db, windowMs: number): Promise<void> {
  await db.execute(sql`delete from login_failures where at <= now() - make_interval(secs => ${windowMs / 1000}::float8)`);
}
