/**
 * Exit behaviour in a real Node child process that imports the built SDK:
 * SIGTERM / SIGINT flush pending events and then end the process exactly as the
 * signal would have, unless the application handles the signal itself.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
