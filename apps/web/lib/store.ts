import { migrate, openStore, purgeSessions, type Store } from "@runtrail/db";
import { bootstrap, type Bootstrap } from "./bootstrap";
import { env } from "./env";
import { startLiveFeed } from "./live/feed";
import { startSweeper } from "./sweeper";

export interface Ready {
  store: Store;
  boot: Bootstrap;
}

// Route handlers, pages and instrumentation may be separate bundles: keep the one
// store on globalThis so PGlite's data directory is opened exactly once per process.
const slot = globalThis as typeof globalThis & { __runtrail?: Promise<Ready> };

/** The process's store, migrated and bootstrapped (memoised; the first call does the work). */
export function ready(): Promise<Ready> {
  slot.__runtrail ??= (async () => {
    const store = await openStore({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, holder: "runtrail server" });
    await migrate(store);
    const boot = await bootstrap(store.db);
    const stopSweeper = startSweeper(store.db);
    const stopFeed = startLiveFeed(store, env.databaseUrl);
    // Sessions past their end are refused when presented; this only keeps the table small.
    const purge = setInterval(() => void purgeSessions(store.db, env.sessionIdleMs).catch(() => {}), 3_600_000);
    purge.unref();
    const close = () => {
      clearInterval(purge);
      stopSweeper();
      void stopFeed()
        .catch(() => {})
        .then(() => store.close())
        .finally(() => process.exit(0));
    };
    process.once("SIGTERM", close);
    process.once("SIGINT", close);
    return { store, boot };
  })().catch((err: unknown) => {
    slot.__runtrail = undefined;
    throw err;
  });
  return slot.__runtrail;
}

export async function getDb() {
  return (await ready()).store.db;
}
