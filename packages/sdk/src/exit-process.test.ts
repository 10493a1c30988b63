/**
 * Exit behaviour in a real Node child process that imports the built SDK:
 * SIGTERM / SIGINT flush pending events and then end the process exactly as the
 * signal would have, unless the application handles the signal itself.
 */
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeApi, startFakeApi } from "./testing/fake-api.js";

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Time from sending the signal to the exit. */
  afterSignalMs: number;
}

/** Runs `source` in a child `node`; sends `signal` (if any) once it prints "ready". */
function runChild(source: string, env: Record<string, string>, signal?: NodeJS.Signals): Promise<ChildResult> {
  const dir = mkdtempSync(join(tmpdir(), "runtrail-exit-"));
  const file = join(dir, "script.mjs");
  writeFileSync(file, source.replace("SDK_URL", pathToFileURL(distEntry).href));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let signalledAt = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (signalledAt === 0 && stdout.includes("ready\n")) {
        signalledAt = Date.now();
        if (signal !== undefined) child.kill(signal);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("error", reject);
    child.on("exit", (code, exitSignal) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, signal: exitSignal, stdout, stderr, afterSignalMs: Date.now() - signalledAt });
    });
  });
}

const RECORD = `
import { Runtrail } from "SDK_URL";
const client = new Runtrail({ flushIntervalMs: 60000, exitFlushTimeoutMs: 1500 });
const run = await client.startRun({ name: "child" });
for (let i = 0; i < 20; i++) {
  const task = await run.startTask("t" + i);
  await task.complete();
}
`;
/** Busy until killed: an interval keeps the loop alive, as a worker's would. */
const KEEP_ALIVE = `setInterval(() => {}, 1000);\nprocess.stdout.write("ready\\n");\n`;
const OWN_HANDLER = `process.on("SIGTERM", () => { process.stdout.write("own handler\\n"); setTimeout(() => process.exit(7), 1000); });\n`;
/** A graceful shutdown as servers write it: a one-shot async handler that cleans up, then exits 0. */
const GRACEFUL = `process.once("SIGTERM", async () => {
  await new Promise((resolve) => setTimeout(resolve, 300)); // close the server, drain jobs, end the db pool
  process.stdout.write("cleaned up\\n");
  process.exit(0);
});\n`;
/**
 * Behaves like signal-exit 4 (not its code): counts its loaded copies on the global
 * emitter; on a signal does nothing while other listeners remain; once alone, removes
 * its listeners, runs its exit callbacks and raises the signal again.
 */
const OBSERVER = `{
  const emitter = (globalThis[Symbol.for("signal-exit emitter")] ??= { count: 0 });
  emitter.count += 1;
  const listeners = {};
  for (const sig of ["SIGTERM", "SIGINT"]) {
    listeners[sig] = () => {
      if (process.listeners(sig).length !== emitter.count) return;
      for (const [name, listener] of Object.entries(listeners)) process.off(name, listener);
      emitter.count -= 1;
      process.stdout.write("observer callbacks ran\\n");
      process.kill(process.pid, sig);
    };
    process.on(sig, listeners[sig]);
  }
}\n`;
/** Ends a process that a signal failed to end, so a test fails fast instead of timing out. */
const WATCHDOG = `setTimeout(() => { process.stdout.write("still alive\\n"); process.exit(99); }, 6000);\n`;

const servers: FakeApi[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function server(): Promise<{ api: FakeApi; env: Record<string, string> }> {
  const api = await startFakeApi();
  servers.push(api);
  return { api, env: { RUNTRAIL_URL: api.url, RUNTRAIL_API_KEY: "rt_child", RUNTRAIL_DISABLED: "" } };
}

describe.skipIf(!existsSync(distEntry))("signals in a child process (needs dist: npm run build -w @runtrail/sdk)", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`${signal} mid-run delivers the events, then the process dies by ${signal} as it would without the SDK`, async () => {
      const { api, env } = await server();
      const without = await runChild(RECORD + KEEP_ALIVE, { ...env, RUNTRAIL_DISABLED: "1" }, signal);
      expect([without.code, without.signal]).toEqual([null, signal]);
      const withSdk = await runChild(RECORD + KEEP_ALIVE, env, signal);
      expect([withSdk.code, withSdk.signal]).toEqual([without.code, without.signal]);
      expect(api.events.map((e) => e.type)).toEqual(["run.start", ...Array(20).fill(["task.start", "task.complete"]).flat()]);
      expect(withSdk.stderr).toBe("");
    });
  }

  it("with the application's own SIGTERM listener: flushes but leaves the exit to it", async () => {
    const { api, env } = await server();
    const result = await runChild(RECORD + OWN_HANDLER + KEEP_ALIVE, env, "SIGTERM");
    expect([result.code, result.signal]).toEqual([7, null]);
    expect(result.stdout).toContain("own handler");
    expect(api.events).toHaveLength(41);
  });

  it("with the application's `once` async handler: flushes, and never kills the process during its graceful shutdown", async () => {
    const { api, env } = await server();
    const result = await runChild(RECORD + GRACEFUL + KEEP_ALIVE + WATCHDOG, env, "SIGTERM");
    expect([result.code, result.signal]).toEqual([0, null]);
    expect(result.stdout).toContain("cleaned up");
    expect(api.events).toHaveLength(41);
    expect(api.events.at(-1)?.type).toBe("task.complete");
  });

  it("with a signal-exit-style observer and nothing else: the process still dies by the signal, after both ran", async () => {
    const { api, env } = await server();
    const result = await runChild(RECORD + OBSERVER + KEEP_ALIVE + WATCHDOG, env, "SIGTERM");
    expect([result.code, result.signal]).toEqual([null, "SIGTERM"]);
    expect(result.stdout).toContain("observer callbacks ran");
    expect(api.events).toHaveLength(41);
  });

  it("with a signal-exit-style observer and the application's handler: the application decides", async () => {
    const { api, env } = await server();
    const result = await runChild(OBSERVER + RECORD + GRACEFUL + KEEP_ALIVE + WATCHDOG, env, "SIGTERM");
    expect([result.code, result.signal]).toEqual([0, null]);
    expect(result.stdout).toContain("cleaned up");
    expect(result.stdout).not.toContain("observer callbacks ran");
    expect(api.events).toHaveLength(41);
  });

  it("with two copies of the SDK loaded: one set of listeners, both flush, the process dies by the signal", async () => {
    const { api, env } = await server();
    const copy = mkdtempSync(join(tmpdir(), "runtrail-copy-"));
    try {
      cpSync(dirname(distEntry), copy, { recursive: true });
      writeFileSync(join(copy, "package.json"), '{ "type": "module" }');
      const second = `
import { Runtrail as Copy } from "${pathToFileURL(join(copy, "index.js")).href}";
const other = new Copy({ flushIntervalMs: 60000, exitFlushTimeoutMs: 1500 });
const otherRun = await other.startRun({ name: "copy" });
await otherRun.complete();
process.stdout.write("SIGTERM listeners: " + process.listenerCount("SIGTERM") + "\\n");
`;
      const result = await runChild(RECORD + second + KEEP_ALIVE + WATCHDOG, env, "SIGTERM");
      expect(result.stdout).toContain("SIGTERM listeners: 1");
      expect([result.code, result.signal]).toEqual([null, "SIGTERM"]);
      expect(api.events).toHaveLength(43);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it("with the server down: waits at most exitFlushTimeoutMs, dies by the signal, and counts what is lost", async () => {
    const { api, env } = await server();
    const url = api.url;
    await api.close();
    servers.length = 0;
    const result = await runChild(RECORD + KEEP_ALIVE, { ...env, RUNTRAIL_URL: url }, "SIGTERM");
    expect([result.code, result.signal]).toEqual([null, "SIGTERM"]);
    expect(result.afterSignalMs).toBeGreaterThanOrEqual(1400);
    expect(result.afterSignalMs).toBeLessThan(5000);
  });

  it("prints one warning with the count when exiting with undelivered events", async () => {
    const { api, env } = await server();
    const url = api.url;
    await api.close();
    servers.length = 0;
    const script = `${RECORD}process.stdout.write("ready\\n");\nsetTimeout(() => process.exit(3), 200);\n`;
    const result = await runChild(script, { ...env, RUNTRAIL_URL: url });
    expect(result.code).toBe(3);
    expect(result.stderr.match(/\[runtrail\] exiting with 41 undelivered events/g)).toHaveLength(1);
  });
});
