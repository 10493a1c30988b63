import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { NotFoundError } from "../auth/errors.js";
import type { Db } from "../client.js";
import { apiKeys, projects, users } from "../schema.js";

export const DEFAULT_PROJECT_ID = "default";

/** A project already has as many active keys as it may (createApiKey's `maxActive`). */
export class TooManyKeysError extends Error {
  readonly code = "too_many_keys";
  constructor(
    readonly projectId: string,
    readonly limit: number,
  ) {
    super(`project ${projectId} already has ${limit} active key${limit === 1 ? "" : "s"}, the most it may have: revoke one it no longer uses first`);
  }
}

/** Keys look like `rt_<43 base64url chars>`: 256 random bits. */
export function generateApiKey(): string {
  return `rt_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** What is shown of a key after its creation: enough to tell keys apart, not to use one. */
const prefixOf = (key: string) => key.slice(0, 10);

export async function ensureProject(db: Db, id: string, name: string): Promise<void> {
  await db.insert(projects).values({ id, name }).onConflictDoNothing();
}

/**
 * Makes `key` a valid key of `projectId` (idempotent: the start-up path calls
 * it every time). A key that belongs to another project is left alone and
 * reported false.
 */
export async function ensureApiKey(db: Db, projectId: string, key: string, name: string): Promise<boolean> {
  const keyHash = hashApiKey(key);
  await db
    .insert(apiKeys)
    .values({ id: randomUUID(), projectId, name, keyHash, prefix: prefixOf(key) })
    .onConflictDoNothing();
  const [row] = await db.select({ projectId: apiKeys.projectId }).from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  return row?.projectId === projectId;
}

/** The key's id and project when it is known and unrevoked, else null. */
export async function findApiKey(db: Db, key: string): Promise<{ id: string; projectId: string } | null> {
  const [row] = await db
    .select({ id: apiKeys.id, projectId: apiKeys.projectId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

/** The project an unrevoked key belongs to, or null. */
export async function findProjectByApiKey(db: Db, key: string): Promise<string | null> {
  return (await findApiKey(db, key))?.projectId ?? null;
}

export interface ApiKeyView {
  id: string;
  projectId: string;
  name: string;
  prefix: string;
  createdAt: Date;
  /** Email of the dashboard user who made it; null for the server's own key and the command line's. */
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * A new key of `projectId`. The whole key is in the answer once and never stored.
 * With `maxActive`, a project that already has that many unrevoked keys gets
 * TooManyKeysError instead: the project's row is locked while counting, so keys made
 * at once (on any process) cannot slip past the cap together.
 */
export async function createApiKey(
  db: Db,
  projectId: string,
  name: string,
  createdBy: string | null = null,
  options: { maxActive?: number } = {},
): Promise<{ key: string; view: ApiKeyView }> {
  const key = generateApiKey();
  const id = randomUUID();
  await db.transaction(async (tx) => {
    const exists = await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
    if (exists.length === 0) throw new NotFoundError(`project ${projectId} not found`);
    if (options.maxActive !== undefined) {
      const [row] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(apiKeys)
        .where(and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)));
      const active = Number(row?.n ?? 0);
      if (active >= options.maxActive) throw new TooManyKeysError(projectId, options.maxActive);
    }
    await tx.insert(apiKeys).values({ id, projectId, name, keyHash: hashApiKey(key), prefix: prefixOf(key), createdBy });
  });
  const view = (await listApiKeys(db, projectId, { includeRevoked: true })).find((k) => k.id === id);
  if (!view) throw new Error(`api key ${id} vanished right after it was created`);
  return { key, view };
}

/** Keys of a project, newest first; revoked ones only when asked. */
export async function listApiKeys(db: Db, projectId: string, options: { includeRevoked?: boolean } = {}): Promise<ApiKeyView[]> {
  return db
    .select({
      id: apiKeys.id,
      projectId: apiKeys.projectId,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      createdBy: users.email,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(options.includeRevoked ? eq(apiKeys.projectId, projectId) : and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt), desc(apiKeys.id));
}

/**
 * Revokes a key of `projectId` (a key of another project is "not found", so nobody
 * learns that it exists). Revoking twice keeps the first time.
 */
export async function revokeApiKey(db: Db, projectId: string, keyId: string): Promise<ApiKeyView> {
  await db
    .update(apiKeys)
    // Only an unrevoked key is touched (the first time stays); no coalesce(…, now()): Citus refuses it in an UPDATE.
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)));
  const view = (await listApiKeys(db, projectId, { includeRevoked: true })).find((k) => k.id === keyId);
  if (!view) throw new NotFoundError(`api key ${keyId} not found in project ${projectId}`);
  return view;
}

/** Moves `last_used_at` to now unless it is already within `withinMs` (a no-op write costs nothing then). */
export async function touchApiKey(db: Db, keyId: string, withinMs: number): Promise<void> {
  const cutoff = new Date(Date.now() - withinMs);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date() })
    .where(and(eq(apiKeys.id, keyId), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, cutoff))));
}

/** Keys (any project) whose id or shown prefix is `idOrPrefix`: what the command line accepts. */
export async function findApiKeysByIdOrPrefix(db: Db, idOrPrefix: string): Promise<ApiKeyView[]> {
  const rows = await db
    .select({ projectId: apiKeys.projectId, id: apiKeys.id })
    .from(apiKeys)
    .where(or(eq(apiKeys.id, idOrPrefix), eq(apiKeys.prefix, idOrPrefix)));
  const out: ApiKeyView[] = [];
  for (const r of rows) {
    const view = (await listApiKeys(db, r.projectId, { includeRevoked: true })).find((k) => k.id === r.id);
    if (view) out.push(view);
  }
  return out;
}
