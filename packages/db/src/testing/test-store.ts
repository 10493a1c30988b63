import type { Store } from "../client.js";

/** A store opened for one test suite (stores.ts, citus-store.ts), and how to throw it away. */
export interface TestStore {
  store: Store;
  /** Connection settings a server process can be started with. */
  env: { DATABASE_URL?: string; RUNTRAIL_DATA_DIR?: string };
  cleanup(): Promise<void>;
}

export interface TestStoreKind {
  /** "citus": Postgres too (store.kind is "postgres"), on a Citus cluster with the distributed layout. */
  name: "postgres" | "pglite" | "citus";
  open(): Promise<TestStore>;
}
