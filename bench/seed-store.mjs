import { migrate, openStore } from "@runtrail/db";

/**
 * For `startLocalServer({ prepare })`: opens the store the server will use (before it
 * starts: PGlite is one process at a time), migrates it, lets `fill` seed it, closes it.
 */
export async function fillStore({ databaseUrl, dataDir }, fill) {
  const store = await openStore({ databaseUrl, dataDir });
  try {
    await migrate(store);
    await fill(store);
  } finally {
    await store.close();
  }
}
