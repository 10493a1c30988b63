import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test as base } from "@playwright/test";
import { type RunningServer, startServer } from "../../apps/web/test/server";

export { expect } from "@playwright/test";

interface ServerOptions {
  /**
   * Names the spec file's server (and its PGlite directory, `runtrail-e2e-<name>-…`).
   * Each spec file sets its own with `test.use({ serverName })`: a worker-scoped option
   * that differs puts the file in a worker of its own, so every file starts with an empty
   * store, as if nothing else had run.
   */
  serverName: string;
  /** Settings of the file's server beside its data directory (e.g. an admin to sign in as). */
  serverEnv: Record<string, string>;
}

/**
 * `server`: the built dashboard (`next start`) on PGlite in a fresh directory, started
 * once per spec file (usable in `beforeAll`), stopped and its directory removed when the
 * file is done.
 */
export const test = base.extend<Record<never, never>, ServerOptions & { server: RunningServer }>({
  serverName: ["e2e", { scope: "worker", option: true }],
  serverEnv: [{}, { scope: "worker", option: true }],
  server: [
    async ({ serverName, serverEnv }, use) => {
      const dataDir = mkdtempSync(join(tmpdir(), `runtrail-e2e-${serverName}-`));
      const server = await startServer({ RUNTRAIL_DATA_DIR: dataDir, ...serverEnv });
      try {
        await use(server);
      } finally {
        await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    { scope: "worker", timeout: 120_000 },
  ],
});
