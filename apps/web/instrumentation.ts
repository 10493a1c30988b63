/** Runs once when the server starts: open the store, migrate, make sure a key exists. */
export async function register(): Promise<void> {
  // Read process.env directly (not via lib/env.ts): Next.js replaces this literal at
  // build time, which is what keeps the Node-only store out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ ready }, { env }, { ConfigError }] = await Promise.all([import("./lib/store"), import("./lib/env"), import("./lib/bootstrap")]);
  let store: Awaited<ReturnType<typeof ready>>["store"];
  try {
    ({ store } = await ready());
  } catch (err) {
    // A setting it cannot start with, or a PGlite directory another process holds: say
    // so and stop, rather than serve errors. (A database that is down is not that: the
    // store is opened again on the next request.)
    if (err instanceof ConfigError || (err as { code?: unknown } | null)?.code === "store_locked") {
      console.error(`\n  Runtrail will not start: ${(err as Error).message}\n`);
      process.exit(1);
    }
    throw err;
  }
  if (!env.quiet) console.log(`  Store: ${store.kind} (${store.location})`);
}
