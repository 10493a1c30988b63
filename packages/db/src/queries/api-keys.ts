import { createHash, randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../client.js";
import { apiKeys, projects } from "../schema.js";

export const DEFAULT_PROJECT_ID = "default";

/** Keys look like `rt_<43 base64url chars>`: 256 random bits. */
export function generateApiKey(): string {
  return `rt_${randomBytes(32).toString("base64url")}`;
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

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
    .values({ id: randomUUID(), projectId, name, keyHash, prefix: key.slice(0, 10) })
    .onConflictDoNothing();
  const [row] = await db.select({ projectId: apiKeys.projectId }).from(apiKeys).where(eq(apiKeys.keyHash, keyHash));
  return row?.projectId === projectId;
}

/** The project an unrevoked key belongs to, or null. */
export async function findProjectByApiKey(db: Db, key: string): Promise<string | null> {
  const [row] = await db
    .select({ projectId: apiKeys.projectId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)));
  return row?.projectId ?? null;
}
