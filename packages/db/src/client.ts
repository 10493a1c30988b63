import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { SQL } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { lockDataDir } from "./pglite-lock.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** The common type of both drivers' drizzle databases: queries never know which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type StoreKind = "postgres" | "pglite";

/** Rows of a raw SQL query on either driver (postgres.js answers an array, PGlite `{ rows }`). */
export async function selectRows<T>(db: Db, query: SQL): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export interface Store {
  db: Db;
  kind: StoreKind;
  /** Where the data lives: a redacted URL or the PGlite directory ("memory" when in memory). */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Postgres connection string; when absent an embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite data directory (default ./.runtrail); `null` keeps PGlite in memory (tests). */
  dataDir?: string | null | undefined;
  /** Postgres pool size (default 10). */
  maxConnections?: number | undefined;
  /** Who holds a PGlite directory (shown to a second process that tries to open it). */
  holder?: string | undefined;
}

/**
 * Opens the one database Runtrail uses: Postgres when `databaseUrl` is set, else
 * PGlite in `dataDir`. Both come back as the same drizzle type.
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.maxConnections ?? 10);
  return openPglite(options.dataDir === undefined ? "./.runtrail" : options.dataDir, options.holder ?? `pid ${process.pid}`);
}

const JSON_OID = 114;
const JSONB_OID = 3802;

function openPostgres(url: string, max: number): Store {
  const client = postgres(url, { max, onnotice: () => {}, connection: { application_name: "runtrail" } });
  const db = drizzlePostgres({ client, schema }) as unknown as Db;
  // drizzle sends json and jsonb as text and parses them when read, but leaves
  // postgres.js parsing them first: a JSON string that reads as JSON ("0", "true",
  // '{"a":1}') came back as that value. Both drivers hand drizzle the text.
  for (const oid of [JSON_OID, JSONB_OID]) client.options.parsers[oid] = (text: string) => text;
  return {
    db,
    kind: "postgres",
    location: redactUrl(url),
    close: () => client.end({ timeout: 5 }),
  };
}

async function openPglite(dataDir: string | null, holder: string): Promise<Store> {
  let dir: string | undefined;
  let release = () => {};
  if (dataDir !== null) {
    dir = resolve(dataDir, "pglite");
    mkdirSync(dir, { recursive: true });
    // Throws StoreLockedError when another live process has the directory open.
    release = lockDataDir(resolve(dataDir), holder);
  }
  let client: PGlite;
  try {
    // json and jsonb come back as their text, as from postgres.js (openPostgres): drizzle
    // parses them itself, and a value PGlite had parsed already was parsed twice (the
    // JSON string "0" came back as the number 0, "true" as true).
    const parsers = { [JSON_OID]: (text: string) => text, [JSONB_OID]: (text: string) => text };
    client = await PGlite.create(dir === undefined ? { parsers } : { dataDir: dir, parsers });
  } catch (err) {
    release();
    throw err;
  }
  const db = drizzlePglite({ client, schema }) as unknown as Db;
  return {
    db,
    kind: "pglite",
    location: dir ?? "memory",
    close: () => client.close().finally(release),
  };
}

/** postgres://user:secret@host/db -> postgres://user:***@host/db */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}
