import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { ConflictError, isUniqueViolation, NotFoundError } from "../auth/errors.js";
import { hashPassword, verifyPassword } from "../auth/passwords.js";
import type { Db } from "../client.js";
import { projectMembers, sessions, type User, type UserRole, users } from "../schema.js";

/** A user as the dashboard and the command line show it: never the password hash. */
export interface UserView {
  id: string;
  email: string;
  role: UserRole;
  createdAt: Date;
  lastLoginAt: Date | null;
  disabled: boolean;
  /** Projects a member belongs to (admins see every project whatever this says). */
  projectIds: string[];
}

const byEmail = (email: string) => sql`lower(${users.email}) = lower(${email})`;

export async function findUserByEmail(db: Db, email: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(byEmail(email));
  return row ?? null;
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row ?? null;
}

/** True once any user exists: from then on the dashboard needs a login. */
export async function hasUsers(db: Db): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).limit(1);
  return row !== undefined;
}

export interface NewUser {
  email: string;
  password: string;
  role: UserRole;
  projectIds?: string[];
}

/** Creates a user (ConflictError when the email is taken, whatever its case). */
export async function createUser(db: Db, input: NewUser): Promise<UserView> {
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  try {
    await db.transaction(async (tx) => {
      await tx.insert(users).values({ id, email: input.email, passwordHash, role: input.role });
      const projectIds = input.projectIds ?? [];
      if (projectIds.length > 0) await tx.insert(projectMembers).values(projectIds.map((projectId) => ({ projectId, userId: id })));
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError("email", `email: a user with ${input.email} already exists`);
    throw err;
  }
  const view = (await listUsers(db, id))[0];
  if (!view) throw new Error(`user ${id} vanished right after it was created`);
  return view;
}

/** Every user (or one), oldest first, with the projects each belongs to. */
export async function listUsers(db: Db, onlyId?: string): Promise<UserView[]> {
  const rows = await db
    .select({
      id: users.id,
      email: users.email,
      role: users.role,
      createdAt: users.createdAt,
      lastLoginAt: users.lastLoginAt,
      disabledAt: users.disabledAt,
      projectIds: sql<string[]>`coalesce((select array_agg(m.project_id order by m.project_id) from project_members m where m.user_id = "users"."id"), '{}'::text[])`,
    })
    .from(users)
    .where(onlyId === undefined ? undefined : eq(users.id, onlyId))
    .orderBy(asc(users.createdAt), asc(users.id));
  return rows.map(({ disabledAt, ...u }) => ({ ...u, disabled: disabledAt !== null }));
}

/** Sets a new password and signs the user out everywhere else (all sessions but `keepSessionId`). */
export async function setUserPassword(db: Db, userId: string, password: string, keepSessionId?: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db.transaction(async (tx) => {
    const done = await tx.update(users).set({ passwordHash }).where(eq(users.id, userId)).returning({ id: users.id });
    if (done.length === 0) throw new NotFoundError(`user ${userId} not found`);
    await tx.delete(sessions).where(keepSessionId === undefined ? eq(sessions.userId, userId) : and(eq(sessions.userId, userId), sql`${sessions.id} <> ${keepSessionId}`));
  });
}

export interface UserChanges {
  role?: UserRole;
  disabled?: boolean;
  /** The member's projects, replacing the old list. */
  projectIds?: string[];
}

/**
 * Changes a user's role, disabled state or projects. Disabling signs them out. Refuses
 * (ConflictError) to leave the installation without an enabled admin.
 */
export async function updateUser(db: Db, userId: string, changes: UserChanges): Promise<UserView> {
  await db.transaction(async (tx) => {
    // Serialise admin changes so two requests cannot each demote "the other" last admin.
    await tx.execute(sql`select pg_advisory_xact_lock(727411003)`);
    const [current] = await tx.select().from(users).where(eq(users.id, userId));
    if (!current) throw new NotFoundError(`user ${userId} not found`);
    const set: Partial<typeof users.$inferInsert> = {};
    if (changes.role !== undefined) set.role = changes.role;
    if (changes.disabled !== undefined) set.disabledAt = changes.disabled ? (current.disabledAt ?? new Date()) : null;
    if (Object.keys(set).length > 0) await tx.update(users).set(set).where(eq(users.id, userId));
    const [admins] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(and(eq(users.role, "admin"), isNull(users.disabledAt)));
    if ((admins?.n ?? 0) === 0) throw new ConflictError("role", "at least one enabled admin must remain");
    if (changes.disabled === true) await tx.delete(sessions).where(eq(sessions.userId, userId));
    if (changes.projectIds !== undefined) {
      await tx.delete(projectMembers).where(eq(projectMembers.userId, userId));
      if (changes.projectIds.length > 0) await tx.insert(projectMembers).values(changes.projectIds.map((projectId) => ({ projectId, userId })));
    }
  });
  const view = (await listUsers(db, userId))[0];
  if (!view) throw new NotFoundError(`user ${userId} not found`);
  return view;
}

/**
 * The admin named by RUNTRAIL_ADMIN_EMAIL / _PASSWORD at start-up: created when missing;
 * otherwise made an enabled admin with that password (signed out if the password changed).
 */
export async function ensureAdmin(db: Db, email: string, password: string): Promise<"created" | "updated" | "unchanged"> {
  const existing = await findUserByEmail(db, email);
  if (!existing) {
    try {
      await createUser(db, { email, password, role: "admin" });
      return "created";
    } catch (err) {
      // Another replica created it at the same moment: fall through to the update.
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  const user = existing ?? (await findUserByEmail(db, email));
  if (!user) throw new Error(`admin ${email} could be neither created nor found`);
  let changed = false;
  if (user.role !== "admin" || user.disabledAt !== null) {
    await db.update(users).set({ role: "admin", disabledAt: null }).where(eq(users.id, user.id));
    changed = true;
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    await setUserPassword(db, user.id, password);
    changed = true;
  }
  return changed ? "updated" : "unchanged";
}

export async function noteLogin(db: Db, userId: string, passwordHash?: string): Promise<void> {
  await db
    .update(users)
    .set({ lastLoginAt: new Date(), ...(passwordHash ? { passwordHash } : {}) })
    .where(eq(users.id, userId));
}
