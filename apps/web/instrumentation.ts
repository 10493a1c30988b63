/** Runs once when the server starts: open the store, migrate, make sure a key exists. */
export async function register(): Promise<void> {
  // Read process.env directly (not via lib/env.ts): Next.js replaces this literal at
  // build time, which is what keeps the Node-only store out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ ready }, { env }, { stopOnStartupError }, { installPeerStamp }] = await Promise.all([
    import("./lib/store"),
    import("./lib/env"),
    import("./lib/bootstrap"),
    import("./lib/auth/peer"),
  ]);
  // Before anything else: from here on every request records what its socket saw (lib/auth/peer.ts).
  installPeerStamp();
  let store: Awaited<ReturnType<typeof ready>>["store"];
  try {
    ({ store } = await ready());
  } catch (err) {
    stopOnStartupError(err);
    throw err;
  }
  if (!env.quiet) console.log(`  Store: ${store.kind} (${store.location})`);
}
