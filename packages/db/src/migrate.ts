import { sql } from "drizzle-orm";
import { distribute, isDistributed } from "./citus/distribute.js";
import { selectRows, type Store } from "./client.js";
import { MIGRATION_LOCK } from "./migration-lock.js";
import { MIGRATIONS } from "./migrations.generated.js";

export interface Migration {
  tag: string;
  hash: string;
  sql: string;
}

export class MigrationMismatchError extends Error {
  readonly code = "migration_mismatch";
}

/**
 * Applies drizzle-kit's migrations (embedded at build time) that the database has
 * not seen, each in its own transaction. Safe at every start-up and from several
 * processes at once: they queue on an advisory lock and re-check under it.
 *
 * On Citus each migration runs its statements over one connection per node
 * (`citus.multi_shard_modify_mode = sequential`): a transaction that changes a
 * distributed table and then a reference table is refused otherwise. When the database
 * already has the distributed layout, tables the new migrations created are laid out
 * as well (`db distribute` again), so an upgrade needs no extra step.
 */
export async function migrate(store: Store, migrations: readonly Migration[] = MIGRATIONS): Promise<{ applied: string[] }> {
  const { db } = store;
  const citus = store.kind === "postgres" && (await hasCitus(store));
  await db.execute(
    sql`create table if not exists runtrail_migrations (tag text primary key, hash text not null, applied_at timestamptz not null default now())`,
  );
  const applied: string[] = [];
  for (const m of migrations) {
    await db.transaction(async (tx) => {
      if (citus) await tx.execute(sql`set local citus.multi_shard_modify_mode to 'sequential'`);
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
  if (citus && applied.length > 0 && (await isDistributed(store))) await distribute(store);
  return { applied };
}

async function hasCitus(store: Store): Promise<boolean> {
  const [row] = await selectRows<{ n: number }>(store.db, sql`select count(*)::int as n from pg_extension where extname = 'citus'`);
  return (row?.n ?? 0) > 0;
}

/** postgres-js returns rows as an array, PGlite as `{ rows }`. */
function rowsOf<T>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  const rows = (result as { rows?: unknown }).rows;
  return Array.isArray(rows) ? (rows as T[]) : [];
}
