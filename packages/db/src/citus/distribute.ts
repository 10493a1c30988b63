import { sql } from "drizzle-orm";
import { type Db, selectRows, type Store } from "../client.js";
import { MIGRATION_LOCK } from "../migration-lock.js";
import { LAYOUT, type TableLayout } from "./layout.js";

/** The database cannot hold the distributed layout: not Citus, not its coordinator, or no node for shards. */
export class NotCitusError extends Error {
  readonly code = "not_citus";
}

/** A table is already distributed another way than the layout says; nothing is changed for it. */
export class LayoutConflictError extends Error {
  readonly code = "layout_conflict";
}

export interface DistributeOptions {
  /** Shards of the `runs` co-location group (Citus' `citus.shard_count` when absent, 32 by default). */
  shardCount?: number | undefined;
}

export interface DistributedTableState {
  table: string;
  kind: TableLayout["kind"];
  /** Distribution column; null for reference tables. */
  column: string | null;
  /** What this call did: converted the table now, or found it so already. */
  action: "distributed" | "already";
}

interface CitusState {
  type: "distributed" | "reference" | "local";
  column: string | null;
  colocationId: number;
}

/**
 * Whether `db` is a Citus coordinator (the citus extension installed and this node the
 * coordinator). PGlite and plain Postgres answer false.
 */
export async function isCitusCoordinator(store: Store): Promise<boolean> {
  if (store.kind !== "postgres") return false;
  const [ext] = await selectRows<{ n: number }>(store.db, sql`select count(*)::int as n from pg_extension where extname = 'citus'`);
  if (!ext?.n) return false;
  const [role] = await selectRows<{ coordinator: boolean }>(store.db, sql`select citus_is_coordinator() as coordinator`);
  return role?.coordinator === true;
}

/** Whether `runs` is a distributed table already: `db distribute` has been run on this database. */
export async function isDistributed(store: Store): Promise<boolean> {
  if (!(await isCitusCoordinator(store))) return false;
  const state = await stateOf(store.db, "runs");
  return state?.type === "distributed";
}

/** Throws NotCitusError unless `store` is a Citus coordinator with a node that may hold shards. */
export async function requireCoordinator(store: Store): Promise<void> {
  if (store.kind !== "postgres") {
    throw new NotCitusError(
      "db distribute needs a Citus coordinator: set DATABASE_URL to it. This is the embedded PGlite database, which lives on one machine only.",
    );
  }
  const [ext] = await selectRows<{ version: string | null }>(store.db, sql`select (select extversion from pg_extension where extname = 'citus') as version`);
  if (!ext?.version) {
    throw new NotCitusError(
      `${store.location} is not a Citus database (no citus extension in it): nothing was changed. ` +
        "On a Citus cluster, run `create extension citus` in this database on the coordinator and every worker and register the workers (citus_add_node) first; see docs/scaling.md.",
    );
  }
  if (!(await isCitusCoordinator(store))) {
    throw new NotCitusError(`${store.location} is a Citus worker, not the coordinator: point DATABASE_URL at the coordinator.`);
  }
  const [coordinator] = await selectRows<{ n: number }>(store.db, sql`select count(*)::int as n from pg_dist_node where groupid = 0`);
  if (!coordinator?.n) {
    // Without it Citus keeps tables that reference a new reference table as plain local
    // tables, and the conversion of projects (referenced by api_keys) fails half-way.
    throw new NotCitusError(
      "The coordinator is not in the Citus metadata: run select citus_set_coordinator_host('<host the workers reach it at>', <port>) on it first (see docs/scaling.md).",
    );
  }
  const [nodes] = await selectRows<{ n: number }>(
    store.db,
    sql`select count(*)::int as n from pg_dist_node where noderole = 'primary' and isactive and shouldhaveshards`,
  );
  if (!nodes?.n) {
    throw new NotCitusError(
      "No Citus node may hold shards: add workers with citus_add_node(host, port), or on a single-node cluster let the coordinator hold them " +
        "(select citus_set_node_property(host, port, 'shouldhaveshards', true)).",
    );
  }
}

async function stateOf(db: Db, table: string): Promise<CitusState | null> {
  const [row] = await selectRows<{ type: CitusState["type"]; column: string | null; colocation_id: number }>(
    db,
    sql`select case when partkey is not null then 'distributed' when repmodel = 't' then 'reference' else 'local' end as type,
               column_to_column_name(logicalrelid, partkey) as column, colocationid as colocation_id
          from pg_dist_partition where logicalrelid = to_regclass(${table})`,
  );
  return row ? { type: row.type, column: row.column, colocationId: Number(row.colocation_id) } : null;
}

/**
 * True when the table already is as `want` says; false when it still has to be converted:
 * a plain table, or a Citus local table (Citus turns every table joined by foreign keys
 * to a new reference table into one of those, until it is converted in its turn).
 * Throws when it is laid out some other way, which this never undoes on its own.
 */
async function alreadyLaidOut(db: Db, want: TableLayout, state: CitusState | null): Promise<boolean> {
  const undo = `undo it with select undistribute_table('${want.name}') and run db distribute again`;
  if (want.kind === "coordinator") {
    if (!state) return true;
    throw new LayoutConflictError(`${want.name} is a Citus ${state.type} table, but Runtrail keeps it a plain table on the coordinator: ${undo}.`);
  }
  if (!state || state.type === "local") return false;
  if (want.kind === "reference") {
    if (state.type === "reference") return true;
    throw new LayoutConflictError(`${want.name} is a Citus ${state.type} table, but Runtrail wants a reference table: ${undo}.`);
  }
  if (state.type !== "distributed" || state.column !== want.column) {
    const what = state.type === "distributed" ? `distributed by ${state.column}` : `a Citus ${state.type} table`;
    throw new LayoutConflictError(`${want.name} is ${what}, but Runtrail distributes it by ${want.column}: ${undo}.`);
  }
  if (want.colocateWith) {
    const group = await stateOf(db, want.colocateWith);
    if (group && group.colocationId !== state.colocationId) {
      throw new LayoutConflictError(
        `${want.name} is distributed by ${want.column} but not co-located with ${want.colocateWith}: ` +
          `fix it with select update_distributed_table_colocation('${want.name}', colocate_with => '${want.colocateWith}').`,
      );
    }
  }
  return true;
}

/**
 * Turns a migrated Runtrail database on a Citus coordinator into the layout of
 * layout.ts: reference tables first, then `runs` by id and its co-located tables by
 * run_id. Idempotent: tables already laid out so are left alone, so it also picks up
 * tables that later migrations add. Rows already present are moved into the shards.
 * Each table is converted in its own transaction under the migrators' lock, so it never
 * interleaves with a migration.
 */
export async function distribute(store: Store, options: DistributeOptions = {}): Promise<DistributedTableState[]> {
  await requireCoordinator(store);
  const { shardCount } = options;
  if (shardCount !== undefined && (!Number.isSafeInteger(shardCount) || shardCount < 1 || shardCount > 64_000)) {
    throw new RangeError(`shardCount: must be an integer from 1 to 64000, got ${shardCount}`);
  }
  const out: DistributedTableState[] = [];
  for (const want of LAYOUT) {
    const action = await store.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const [exists] = await selectRows<{ ok: boolean }>(tx, sql`select to_regclass(${want.name}) is not null as ok`);
      if (!exists?.ok) throw new NotCitusError(`table ${want.name} does not exist: is this a Runtrail database (migrations applied)?`);
      const state = await stateOf(tx, want.name);
      if ((await alreadyLaidOut(tx, want, state)) || want.kind === "coordinator") return "already" as const;
      // A plain table's rows are copied into the shards and stay behind on the coordinator
      // (dead weight, emptied below); a Citus local table's rows already are in a shard.
      const [rows] = state
        ? [{ any: false }]
        : await selectRows<{ any: boolean }>(tx, sql`select exists (select 1 from ${sql.identifier(want.name)}) as any`);
      if (want.kind === "reference") {
        await tx.execute(sql`select create_reference_table(${want.name})`);
      } else if (want.colocateWith) {
        await tx.execute(sql`select create_distributed_table(${want.name}, ${want.column}, colocate_with => ${want.colocateWith})`);
      } else if (shardCount !== undefined) {
        await tx.execute(sql`select create_distributed_table(${want.name}, ${want.column}, shard_count => ${shardCount})`);
      } else {
        await tx.execute(sql`select create_distributed_table(${want.name}, ${want.column})`);
      }
      if (rows?.any) await tx.execute(sql`select truncate_local_data_after_distributing_table(${want.name})`);
      return "distributed" as const;
    });
    out.push({ table: want.name, kind: want.kind, column: want.kind === "distributed" ? want.column : null, action });
  }
  return out;
}
