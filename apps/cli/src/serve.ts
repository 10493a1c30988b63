import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServeOptions } from "./options.js";

/** The standalone web server that `npm run build` puts beside dist/ (and the tarball carries). */
export const SERVER_JS = new URL("../server/apps/web/server.js", import.meta.url);

const WILDCARD = new Set(["0.0.0.0", "::", "[::]"]);

/** How a browser on this machine reaches `host`. */
export function displayUrl(host: string, port: number): string {
  if (WILDCARD.has(host)) return `http://localhost:${port}`;
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
}

/**
 * Runs the dashboard and API in this process: the server Next.js generated
 * (`server.js`, what `next start` runs, with the config baked in). The store opens
 * while it starts (apps/web/instrumentation.ts): a PGlite directory another process
 * holds, or a setting it cannot start with, ends the process with a message. Ctrl-C /
 * SIGTERM close the store and exit 0 (apps/web/lib/store.ts's handler, alone).
 */
export async function serve(opts: ServeOptions, print: (line: string) => void): Promise<void> {
  const serverJs = fileURLToPath(SERVER_JS);
  if (!existsSync(serverJs)) {
    throw new Error(`${serverJs} is missing: this copy of runtrail has no built server. In the repository, \`npm start\` builds it; a tarball from \`npm run pack\` carries it.`);
  }
  // The server reads these once, when it loads. HOSTNAME is what server.js binds to.
  process.env.HOSTNAME = opts.host;
  process.env.PORT = String(opts.port);
  process.env.RUNTRAIL_DATA_DIR = opts.dataDir;
  if (opts.databaseUrl) process.env.DATABASE_URL = opts.databaseUrl;
  else delete process.env.DATABASE_URL;
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  // Next.js's own Ctrl-C / SIGTERM handler exits as soon as HTTP is closed, racing the
  // store's (apps/web/lib/store.ts), which closes PGlite and releases its lock first.
  process.env.NEXT_MANUAL_SIG_HANDLE = "1";
  process.env.NODE_ENV = "production";

  print(`Runtrail: ${opts.databaseUrl ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${opts.dataDir}`}`);
  await import(pathToFileURL(serverJs).href);
  const url = displayUrl(opts.host, opts.port);
  const status = await firstHealthAnswer(WILDCARD.has(opts.host) ? `http://127.0.0.1:${opts.port}` : url);
  if (status === 200) print(`Runtrail: dashboard and API on ${url}  (Ctrl-C stops)`);
  else print(`Runtrail: listening on ${url}, but the database does not answer yet (HTTP ${status}; the server log above says why)`);
}

/** Polls /api/health (which opens and migrates the store) until the server answers; its status. */
async function firstHealthAnswer(base: string): Promise<number> {
  for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(60_000) });
      await res.body?.cancel();
      return res.status;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, wait).unref());
  }
}
