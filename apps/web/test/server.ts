import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Starts the built dashboard + API (`next start`) as a real child process, for
 * integration and e2e tests. Needs `next build` first (turbo's test task does it).
 */

const WEB_DIR = fileURLToPath(new URL("..", import.meta.url));
const NEXT_BIN = join(WEB_DIR, "node_modules", ".bin", "next");

export interface RunningServer {
  url: string;
  port: number;
  apiKey: string;
  /** The server process (for memory readings from /proc). */
  pid: number | undefined;
  /** Everything the server printed, for failure messages. */
  output(): string;
  /** Graceful stop (SIGTERM), then SIGKILL after 5 s. */
  stop(): Promise<void>;
  /** Kills the server at once (SIGKILL): no cleanup, no answers to requests in flight. */
  kill(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function spawnServer(env: Record<string, string | undefined>, apiKey: string, port: number, host: string): ChildProcess {
  // Admin credentials come only from `env`: one exported in the shell must not turn the login on.
  const inherited = { ...process.env, RUNTRAIL_ADMIN_EMAIL: undefined, RUNTRAIL_ADMIN_PASSWORD: undefined };
  return spawn(nextBin(), ["start", "-H", host, "-p", String(port)], {
    cwd: WEB_DIR,
    env: { ...inherited, NEXT_TELEMETRY_DISABLED: "1", RUNTRAIL_QUIET: "1", ...env, RUNTRAIL_API_KEY: apiKey },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** Starts a server that is expected to refuse to start: resolves with its exit code and output. */
export async function startServerExpectingExit(env: Record<string, string | undefined>, host: string): Promise<{ code: number | null; output: string }> {
  const child = spawnServer(env, `rt_test_${Date.now().toString(36)}`, await freePort(), host);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  // Generous: a fresh PGlite database takes a while to create on a loaded machine.
  const timer = setTimeout(() => child.kill("SIGKILL"), 180_000);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearTimeout(timer);
  return { code, output: out };
}

function nextBin(): string {
  try {
    readFileSync(NEXT_BIN);
    return NEXT_BIN;
  } catch {
    return join(WEB_DIR, "..", "..", "node_modules", ".bin", "next");
  }
}

/**
 * `env` picks the store: { DATABASE_URL } for Postgres or { RUNTRAIL_DATA_DIR } for PGlite.
 * The API key is fixed through RUNTRAIL_API_KEY so tests know it.
 */
export async function startServer(env: Record<string, string | undefined>, port?: number, host = "127.0.0.1"): Promise<RunningServer> {
  const p = port ?? (await freePort());
  const apiKey = env.RUNTRAIL_API_KEY ?? `rt_test_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
  const child = spawnServer(env, apiKey, p, host);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${p}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (code ${child.exitCode}):\n${out}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become healthy within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: p,
    apiKey,
    pid: child.pid,
    output: () => out,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
