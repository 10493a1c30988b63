import { createHash, randomBytes } from "node:crypto";
import { eq, lt, or } from "drizzle-orm";
import type { Db } from "../client.js";
import { sessions, type User, users } from "../schema.js";

/**
 * Dashboard sessions. The browser holds a random 256-bit token; the table holds its
 * sha256, so reading the table does not let anyone sign in.
 */

export interface SessionTimes {
  /** Absolute lifetime. */
  maxAgeMs: number;
  /** Ends a session nobody used for this long. */
  idleMs: number;
}

export interface NewSession {
  /** Goes in the cookie, never in the database. */
  token: string;
  id: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface ActiveSession {
  id: string;
  csrfToken: string;
  expiresAt: Date;
  user: Pick<User, "id" | "email" | "role">;
}

export const hashSessionToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function createSession(db: Db, userId: string, times: SessionTimes): Promise<NewSession> {
  const token = randomBytes(32).toString("base64url");
  const id = hashSessionToken(token);
  const csrfToken = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + times.maxAgeMs);
  await db.insert(sessions).values({ id, userId, csrfToken, expiresAt });
  return { token, id, csrfToken, expiresAt };
}

/**
 * The live session of `token`, or null when unknown, expired, idle too long, or its
 * user is disabled. Moves `last_seen_at` only when it is older than `touchMs`, so most
 * requests read and do not write.
 */
export async function findSession(db: Db, token: string, times: SessionTimes & { touchMs: number }): Promise<ActiveSession | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const id = hashSessionToken(token);
  const [row] = await db
    .select({
      id: sessions.id,
      csrfToken: sessions.csrfToken,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      userId: users.id,
      email: users.email,
      role: users.role,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id));
  if (!row) return null;
  const now = Date.now();
  if (row.disabledAt !== null || row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + times.idleMs <= now) {
    await db.delete(sessions).where(eq(sessions.id, id));
    return null;
  }
  if (now - row.lastSeenAt.getTime() >= times.touchMs) {
    await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.id, id));
  }
  return { id: row.id, csrfToken: row.csrfToken, expiresAt: row.expiresAt, user: { id: row.userId, email: row.email, role: row.role } };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, id));
}

/** Removes sessions past their absolute end or idle for longer than `idleMs`. */
export async function purgeSessions(db: Db, idleMs: number): Promise<number> {
  const now = new Date();
  const gone = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - idleMs))))
    .returning({ id: sessions.id });
  return gone.length;
}
