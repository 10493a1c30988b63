/** Runs once when the server starts: open the store, migrate, make sure a key exists. */
export async function register(): Promise<void> {
  // Read process.env directly (not via lib/env.ts): Next.js replaces this literal at
  // build time, which is what keeps the Node-only store out of the edge bundle.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ ready }, { env }] = await Promise.all([import("./lib/store"), import("./lib/env")]);
  const { store } = await ready();
  if (!env.quiet) console.log(`  Store: ${store.kind} (${store.location})`);
}
