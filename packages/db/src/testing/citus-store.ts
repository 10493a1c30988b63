import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { distribute } from "../citus/distribute.js";
import { openStore } from "../client.js";
import { migrate } from "../migrate.js";
import type { TestStore } from "./test-store.js";

/**
 * Throwaway Runtrail databases on the Citus cluster CITUS_URL names (its coordinator;
 * `npm run test:citus`). Citus 12.1 does not propagate CREATE DATABASE, and a Citus
 * cluster is per database: each test database is created on the coordinator and on
 * every worker (found in the CITUS_URL database's pg_dist_node, reached with the same
 * user and password), gets the extension on each, and its coordinator registers the
 * workers. Then it is migrated and, unless asked not to, distributed like
 * `db distribute` does. cleanup drops it on every node.
 */

/** Fewer shards than production's 32: as many routing paths across two workers, quicker to make. */
const TEST_SHARDS = Number(process.env.CITUS_TEST_SHARDS || 8);

export function citusUrl(): string {
  const url = process.env.CITUS_URL;
  if (!url) throw new Error("CITUS_URL is not set: start a cluster (node scripts/citus-cluster.mjs start) and export the URL it prints");
  return url;
}

interface NodeAddress {
  host: string;
  port: number;
}

function urlAt(base: string, node: NodeAddress | null, database: string): string {
  const url = new URL(base);
  if (node) {
    url.hostname = node.host;
    url.port = String(node.port);
  }
  url.pathname = `/${database}`;
  return url.toString();
}

const literal = (value: string) => `'${value.replaceAll("'", "''")}'`;

async function onNode(url: string, statements: string[]): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    for (const s of statements) await sql.unsafe(s);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

export interface CitusTestStoreOptions {
  /** Lay the database out as `db distribute` does (default true). */
  distribute?: boolean;
  /** Register the coordinator in the metadata, as a correct setup does (default true; false for refusal tests). */
  registerCoordinator?: boolean;
}

export async function openCitusTestStore(options: CitusTestStoreOptions = {}): Promise<TestStore> {
  const base = citusUrl();
  const root = postgres(base, { max: 1, onnotice: () => {} });
  let workers: NodeAddress[];
  try {
    const rows = await root<{ host: string; port: number }[]>`
      select nodename as host, nodeport as port from pg_dist_node where groupid <> 0 and noderole = 'primary' order by nodeid`;
    workers = rows.map((r) => ({ host: r.host, port: Number(r.port) }));
  } finally {
    await root.end({ timeout: 5 });
  }
  if (workers.length === 0) throw new Error(`the Citus cluster at ${base} has no workers (citus_add_node)`);

  const name = `runtrail_test_${randomBytes(6).toString("hex")}`;
  const nodes: (NodeAddress | null)[] = [null, ...workers]; // null: the coordinator, as CITUS_URL reaches it
  const coordinator = new URL(base);
  const created: (NodeAddress | null)[] = [];
  const dropAll = async () => {
    // The coordinator first: its maintenance daemon keeps connections to the workers' copies.
    for (const node of created) await onNode(urlAt(base, node, "postgres"), [`drop database if exists ${name} with (force)`]);
  };
  try {
    for (const node of nodes) {
      await onNode(urlAt(base, node, "postgres"), [`create database ${name}`]);
      created.push(node);
      await onNode(urlAt(base, node, name), ["create extension if not exists citus"]);
    }
    const register = `select citus_set_coordinator_host(${literal(coordinator.hostname)}, ${Number(coordinator.port || 5432)})`;
    await onNode(urlAt(base, null, name), [
      ...(options.registerCoordinator === false ? [] : [register]),
      ...workers.map((w) => `select citus_add_node(${literal(w.host)}, ${w.port})`),
    ]);
  } catch (err) {
    await dropAll();
    throw new Error(`could not make a Citus test database on ${base}`, { cause: err });
  }

  const url = urlAt(base, null, name);
  const store = await openStore({ databaseUrl: url, maxConnections: 5 });
  try {
    await migrate(store);
    if (options.distribute !== false) await distribute(store, { shardCount: TEST_SHARDS });
  } catch (err) {
    await store.close();
    await dropAll();
    throw err;
  }
  return {
    store,
    env: { DATABASE_URL: url },
    async cleanup() {
      await store.close();
      await dropAll();
    },
  };
}
