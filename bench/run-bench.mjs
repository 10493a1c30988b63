import { stopAllServers, webIsBuilt } from "./local-server.mjs";

/**
 * Runs a benchmark that serves the built app: says so and stops when apps/web is not
 * built; stops every server it started on Ctrl-C or a failure (then exits 1).
 */
export function runServedBench(main, cleanup = () => {}) {
  if (!webIsBuilt()) {
    console.log("apps/web is not built: run `npm run build` first.");
    return;
  }
  process.once("SIGINT", () => void stopAllServers().finally(() => process.exit(130)));
  main().catch(async (err) => {
    console.error(err);
    cleanup();
    await stopAllServers();
    process.exit(1);
  });
}
