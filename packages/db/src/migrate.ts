import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import { drizzle } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { Store } from "./client.js";

/** drizzle-kit's generated SQL, shipped beside dist/ and src/. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../drizzle", import.meta.url));

// Any fixed number: every Runtrail process migrating the same database takes this lock.
const MIGRATION_LOCK = 727_411_002;

/**
 * Applies pending migrations; safe to run at every start-up and from several
 * processes at once (Postgres: they queue on an advisory lock).
 */
export async function migrate(store: Store): Promise<void> {
  if (store.kind === "pglite") {
    await migratePglite(store.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    return;
  }
  const { databaseUrl } = store;
  if (!databaseUrl) throw new Error("migrate: a Postgres store needs its databaseUrl");
  // One dedicated connection, so the session-level lock and the migration share it.
  const client = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migratePostgres(drizzle({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}
