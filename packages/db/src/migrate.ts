import { sql } from "drizzle-orm";
import type { Store } from "./client.js";
import { MIGRATIONS } from "./migrations.generated.js";

// Any fixed number: every Runtrail process migrating the same database takes this lock.
const MIGRATION_LOCK = 727_411_002;

export class MigrationMismatchError extends Error {
  readonly code = "migration_mismatch";
}

/**
 * Applies drizzle-kit's migrations (embedded at build time) that the database has
 * not seen, each in its own transaction. Safe at every start-up and from several
 * processes at once: they queue on an advisory lock and re-check under it.
 */
export async function migrate(store: Store): Promise<{ applied: string[] }> {
  const { db } = store;
  await db.execute(
    sql`create table if not exists runtrail_migrations (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
  );
  const applied: string[] = [];
  for (const m of MIGRATIONS) {
    await db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const done = await tx.execute<{ hash: string }>(sql`select hash from runtrail_migrations where tag = ${m.tag}`);
      const row = rowsOf<{ hash: string }>(done)[0];
      if (row) {
        if (row.hash !== m.hash) {
          throw new MigrationMismatchError(`migration ${m.tag} was applied with different SQL; committed migrations must never change`);
        }
        return;
      }
      for (const statement of m.sql.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into runtrail_migrations (tag, hash) values (${m.tag}, ${m.hash})`);
      applied.push(m.tag);
    });
  }
  return { applied };
}

/** postgres-js returns rows as an array, PGlite as `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
