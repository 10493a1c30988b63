import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { openStore } from "../client.js";
import { migrate } from "../migrate.js";
import { openCitusTestStore } from "./citus-store.js";
import type { TestStore, TestStoreKind } from "./test-store.js";

export { citusUrl, openCitusTestStore } from "./citus-store.js";
export type { TestStore, TestStoreKind } from "./test-store.js";

/**
 * The two stores every integration test runs against: a throwaway database on
 * the real Postgres (TEST_POSTGRES_URL, default the local server) and PGlite.
 * Off CI an unreachable Postgres is announced loudly and skipped; with CI=true
 * it is a failure. With RUNTRAIL_TEST_STORE=citus (`npm run test:citus`) the suites
 * run on the Citus cluster of CITUS_URL instead (citus-store.ts), distributed as
 * `db distribute` lays it out.
 */

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let reachable: Promise<boolean> | undefined;

export function postgresReachable(): Promise<boolean> {
  reachable ??= (async () => {
    const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 3, onnotice: () => {} });
    try {
      await sql`select 1`;
      return true;
    } catch (err) {
      if (process.env.CI === "true") {
        throw new Error(`CI=true but Postgres at ${ADMIN_URL} is unreachable`, { cause: err });
      }
      const line = "!".repeat(78);
      console.warn(`\n${line}\n!! Postgres at ${ADMIN_URL} is NOT reachable: running PGlite only.\n!! (${String(err)})\n${line}\n`);
      return false;
    } finally {
      await sql.end({ timeout: 1 });
    }
  })();
  return reachable;
}

/** Creates an empty, migrated database on the real Postgres; cleanup drops it. */
export async function openPostgresTestStore(): Promise<TestStore> {
  const name = `runtrail_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ databaseUrl: url.toString(), maxConnections: 5 });
  await migrate(store);
  return {
    store,
    env: { DATABASE_URL: url.toString() },
    async cleanup() {
      await store.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end({ timeout: 1 });
    },
  };
}

export async function openPgliteTestStore(dataDir: string | null = null): Promise<TestStore> {
  const store = await openStore({ dataDir });
  await migrate(store);
  return { store, env: dataDir ? { RUNTRAIL_DATA_DIR: dataDir } : {}, cleanup: () => store.close() };
}

/** The stores to run an integration suite on: Postgres (when reachable) and PGlite. */
export async function testStoreKinds(): Promise<TestStoreKind[]> {
  if (process.env.RUNTRAIL_TEST_STORE === "citus") return [{ name: "citus", open: () => openCitusTestStore() }];
  const kinds: TestStoreKind[] = [{ name: "pglite", open: () => openPgliteTestStore() }];
  if (await postgresReachable()) kinds.unshift({ name: "postgres", open: openPostgresTestStore });
  return kinds;
}
