import { migrate, openStore, purgeSessions, type Store } from "@runtrail/db";
import { bootstrap, type Bootstrap } from "./bootstrap";
import { env } from "./env";
import { processPromise } from "./process-singleton";
import { startLiveFeed } from "./live/feed";
import { startSweeper } from "./sweeper";

export interface Ready {
  store: Store;
  boot: Bootstrap;
}

/**
 * The process's store, migrated and bootstrapped (memoised per process, so PGlite's data
 * directory is opened exactly once whichever bundle asks first; the first call does the work).
 */
export function ready(): Promise<Ready> {
  return processPromise("store", async () => {
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
  });
}

export async function getDb() {
  return (await ready()).store.db;
}
