/**
 * A real Runtrail server for benchmarks: the built app (`next start`) as a
 * child process on a free port, with its own store. Mirrors
 * apps/web/test/server.ts, in plain JS so the bench runs without a TS loader.
 *
 * Store, in order of preference:
 * - `adminUrl` (an option; `null` forces PGlite) or else BENCH_DATABASE_URL: a throwaway
 *   database created on that Postgres server, dropped at the end;
 * - DATABASE_URL: that Postgres database as is (the bench's runs stay in it);
 * - else embedded PGlite in a fresh temp dir.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const WEB_DIR = join(ROOT, "apps", "web");
export const BENCH_API_KEY = "rt_bench_0123456789abcdef0123456789abcdef";
const HEALTH_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 5_000;

/** `stop()` of every server started and not yet stopped, for a Ctrl-C handler. */
const running = new Set();

/** Stops every server this module started (each stop also removes its temp dir / database). */
export function stopAllServers() {
  return Promise.all([...running].map((stop) => stop()));
}

/** True when `next build` has run for apps/web. */
export function webIsBuilt() {
  return existsSync(join(WEB_DIR, ".next", "BUILD_ID"));
}

function nextBin() {
  const local = join(WEB_DIR, "node_modules", ".bin", "next");
  return existsSync(local) ? local : join(ROOT, "node_modules", ".bin", "next");
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** postgres://user:secret@host:5432/db -> host:5432/db */
function describeUrl(url) {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return "(unparseable url)";
  }
}

async function throwawayDatabase(adminUrl) {
  let postgres;
  try {
    postgres = (await import("postgres")).default;
  } catch {
    console.log("  (BENCH_DATABASE_URL set, but the `postgres` package is not installed: ignoring it)");
    return undefined;
  }
  const name = `runtrail_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name}`);
  } catch (err) {
    await admin.end({ timeout: 1 });
    throw new Error(`could not create a throwaway database on ${describeUrl(adminUrl)}`, { cause: err });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    databaseUrl: url.toString(),
    label: `Postgres, throwaway database ${name} on ${url.host}`,
    async drop() {
      try {
        await admin.unsafe(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end({ timeout: 1 });
      }
    },
  };
}

/**
 * Starts the server; resolves once /api/health answers 200. `stop()` ends the
 * server and removes whatever this call created (temp dir, throwaway database);
 * it is safe to call more than once, also after a failed start. `prepare({ databaseUrl,
 * dataDir })`, when given, runs against the server's store before the server starts
 * (PGlite's directory can be open in one process at a time): seed it there, and close it.
 * `env` adds variables to the server's environment; `nodeArgs` are options for its node
 * (e.g. `--cpu-prof`, which NODE_OPTIONS does not take).
 *
 * @param {{ prepare?: (where: { databaseUrl: string | undefined; dataDir: string }) => Promise<void>, adminUrl?: string, env?: Record<string, string>, nodeArgs?: string[] }} [options]
 */
export async function startLocalServer({ prepare, adminUrl = process.env.BENCH_DATABASE_URL, env: extraEnv = {}, nodeArgs = [] } = {}) {
  const cleanups = [];
  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      for (const cleanup of cleanups.reverse()) {
        try {
          await cleanup();
        } catch (err) {
          console.error(`  cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    })();
    running.delete(stop);
    return stopped;
  };
  running.add(stop);

  try {
    // A fresh data dir in every case: PGlite lives there, and the server never touches apps/web/.runtrail.
    const dataDir = await mkdtemp(join(tmpdir(), "runtrail-bench-"));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", RUNTRAIL_QUIET: "1", RUNTRAIL_API_KEY: BENCH_API_KEY, ...extraEnv };
    env.RUNTRAIL_DATA_DIR = dataDir;
    let label = `PGlite in ${dataDir}`;
    const throwaway = adminUrl ? await throwawayDatabase(adminUrl) : undefined;
    if (throwaway !== undefined) {
      cleanups.push(() => throwaway.drop());
      env.DATABASE_URL = throwaway.databaseUrl;
      label = throwaway.label;
    } else if (adminUrl !== null && process.env.DATABASE_URL) {
      label = `Postgres from DATABASE_URL (${describeUrl(process.env.DATABASE_URL)}; the bench's runs stay there)`;
    } else {
      delete env.DATABASE_URL;
    }

    if (prepare) await prepare({ databaseUrl: env.DATABASE_URL, dataDir: env.RUNTRAIL_DATA_DIR });
    const port = await freePort();
    // Own process group, so stopping it also ends anything `next start` spawned.
    const command = nodeArgs.length > 0 ? [process.execPath, ...nodeArgs, nextBin()] : [nextBin()];
    const child = spawn(command[0], [...command.slice(1), "start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: WEB_DIR,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d;
    });
    child.stderr.on("data", (d) => {
      output += d;
    });
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const signal = (sig) => {
      try {
        process.kill(-child.pid, sig);
      } catch {
        // Already gone.
      }
    };
    cleanups.push(async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signal("SIGTERM");
      const timer = setTimeout(() => signal("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    });

    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + HEALTH_TIMEOUT_MS;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`server exited early (code ${child.exitCode}):\n${output}`);
      try {
        const res = await fetch(`${url}/api/health`);
        if (res.ok) {
          const health = await res.json();
          return { url, apiKey: BENCH_API_KEY, store: health.store, label, databaseUrl: env.DATABASE_URL, pid: child.pid, output: () => output, stop };
        }
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`server not healthy within ${HEALTH_TIMEOUT_MS / 1000} s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}
