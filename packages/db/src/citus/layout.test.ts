import { is, sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import * as schema from "../schema.js";
import { openPgliteTestStore, type TestStore } from "../testing/stores.js";
import { LAYOUT, layoutOf, MIGRATIONS_TABLE } from "./layout.js";

/**
 * The schema stays distributable on Citus (no Citus needed: this reads the migrated
 * catalog of an in-memory PGlite database, so it always runs). Citus refuses a primary
 * key or unique index of a distributed table that lacks its distribution column, and
 * foreign keys that cross shards; each of those fails here first, naming the table.
 */

interface IndexRow {
  table: string;
  index: string;
  columns: string[] | string;
  expressions: boolean;
  primary: boolean;
}

interface ForeignKeyRow {
  name: string;
  from_table: string;
  from_columns: string[] | string;
  to_table: string;
  to_columns: string[] | string;
}

/** PGlite may hand a name[] over as its text form. */
const names = (v: string[] | string): string[] => (Array.isArray(v) ? v : v.replace(/^\{|\}$/g, "").split(",").filter(Boolean));

describe("Citus layout of the schema", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openPgliteTestStore();
  });
  afterAll(() => t.cleanup());

  const tables = () =>
    selectRows<{ name: string }>(t.store.db, sql`select relname as name from pg_class where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') order by 1`);

  it("lays out every table of the migrated database, and only those", async () => {
    const inDb = (await tables()).map((r) => r.name).sort();
    expect(LAYOUT.map((l) => l.name).sort()).toEqual(inDb);
    expect(new Set(LAYOUT.map((l) => l.name)).size).toBe(LAYOUT.length);
  });

  it("lays out every table schema.ts declares", () => {
    const declared = (Object.values(schema) as unknown[]).flatMap((v) => (is(v, PgTable) ? [getTableConfig(v).name] : []));
    for (const name of declared) expect(layoutOf(name), `${name} is missing from citus/layout.ts`).toBeDefined();
    expect(LAYOUT.length).toBe(declared.length + 1); // + MIGRATIONS_TABLE
    expect(layoutOf(MIGRATIONS_TABLE)?.kind).toBe("reference");
  });

  it("keeps the distribution column in every primary key and unique index of a distributed table", async () => {
    const rows = await selectRows<IndexRow>(
      t.store.db,
      sql`select c.relname as table, i.relname as index, x.indisprimary as primary, x.indexprs is not null as expressions,
                 array(select a.attname from unnest(x.indkey) k join pg_attribute a on a.attrelid = c.oid and a.attnum = k where k > 0)::text[] as columns
            from pg_index x join pg_class c on c.oid = x.indrelid join pg_class i on i.oid = x.indexrelid
           where c.relnamespace = 'public'::regnamespace and x.indisunique`,
    );
    const distributed = LAYOUT.filter((l) => l.kind === "distributed");
    expect(distributed.length).toBeGreaterThan(0);
    for (const table of distributed) {
      const own = rows.filter((r) => r.table === table.name);
      expect(
        own.some((r) => r.primary),
        `${table.name} has no primary key`,
      ).toBe(true);
      for (const r of own) {
        expect(names(r.columns), `${r.index} on ${table.name} lacks the distribution column ${table.column}`).toContain(table.column);
      }
    }
  });

  it("co-locates only distributed tables of the same column type, after the table they follow", async () => {
    const types = await selectRows<{ table: string; column: string; type: string }>(
      t.store.db,
      sql`select c.relname as table, a.attname as column, format_type(a.atttypid, a.atttypmod) as type
            from pg_attribute a join pg_class c on c.oid = a.attrelid
           where c.relnamespace = 'public'::regnamespace and a.attnum > 0 and not a.attisdropped`,
    );
    const typeOf = (table: string, column: string) => types.find((r) => r.table === table && r.column === column)?.type;
    LAYOUT.forEach((l, i) => {
      if (l.kind !== "distributed") return;
      expect(typeOf(l.name, l.column), `${l.name}.${l.column} does not exist`).toBeDefined();
      if (!l.colocateWith) return;
      const lead = layoutOf(l.colocateWith);
      expect(lead?.kind, `${l.name} is co-located with ${l.colocateWith}, which is not distributed`).toBe("distributed");
      if (lead?.kind !== "distributed") return;
      expect(LAYOUT.indexOf(lead), `${l.colocateWith} must come before ${l.name}`).toBeLessThan(i);
      expect(typeOf(l.name, l.column)).toBe(typeOf(lead.name, lead.column));
    });
  });

  it("has only foreign keys Citus can keep: to reference tables, or between co-located tables on the distribution column", async () => {
    const fks = await selectRows<ForeignKeyRow>(
      t.store.db,
      sql`select con.conname as name, f.relname as from_table, r.relname as to_table,
                 array(select a.attname from unnest(con.conkey) k join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k)::text[] as from_columns,
                 array(select a.attname from unnest(con.confkey) k join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k)::text[] as to_columns
            from pg_constraint con join pg_class f on f.oid = con.conrelid join pg_class r on r.oid = con.confrelid
           where con.contype = 'f' and f.relnamespace = 'public'::regnamespace`,
    );
    expect(fks.length).toBeGreaterThan(0);
    for (const fk of fks) {
      const from = layoutOf(fk.from_table);
      const to = layoutOf(fk.to_table);
      if (!from || !to) throw new Error(`${fk.name}: ${fk.from_table} or ${fk.to_table} has no layout`);
      if (to.kind === "reference") {
        // A reference table is converted after the tables it points at (db distribute's order).
        if (from.kind === "reference") expect(LAYOUT.indexOf(to), `${fk.name}: ${to.name} must come before ${from.name}`).toBeLessThan(LAYOUT.indexOf(from));
        continue;
      }
      // A coordinator table joins nothing: no foreign key may reach it or leave it.
      expect(from.kind !== "coordinator" && to.kind !== "coordinator", `${fk.name}: ${from.name} or ${to.name} stays on the coordinator`).toBe(true);
      expect(from.kind, `${fk.name}: a reference table cannot point at the distributed ${to.name}`).toBe("distributed");
      if (from.kind !== "distributed" || to.kind !== "distributed") continue;
      const at = names(fk.to_columns).indexOf(to.column);
      expect(at, `${fk.name} must include ${to.name}.${to.column}`).toBeGreaterThanOrEqual(0);
      expect(names(fk.from_columns)[at], `${fk.name} must map ${from.name}.${from.column} to ${to.name}.${to.column}`).toBe(from.column);
    }
  });
});
