import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Runtrail } from "@runtrail/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The package as a user gets it: `npm run pack`'s tarball (turbo packs it before this
 * test) installed into an empty directory, then `npx runtrail` there: no build, no
 * repository, PGlite in ./.runtrail.
 */

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
const TARBALL = join(ROOT, ".pack", `runtrail-${version}.tgz`);
const run = promisify(execFile);

/** The user's shell: nothing of the test's Runtrail settings. */
const ENV: Record<string, string | undefined> = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^(RUNTRAIL_|DATABASE_URL$|HOST$|PORT$|NODE_OPTIONS$|VITEST)/.test(k)),
);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

interface Started {
  child: ChildProcess;
  output(): string;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/** `npx runtrail …` in its own process group, as a terminal runs it (Ctrl-C = SIGINT to the group). */
function npx(cwd: string, args: string[]): Started {
  const child = spawn("npx", ["--no-install", "runtrail", ...args], { cwd, env: ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  return { child, output: () => out, exited };
}

async function until(what: string, check: () => boolean, started: Started, ms = 120_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (started.child.exitCode !== null) throw new Error(`runtrail exited (${started.child.exitCode}) before ${what}:\n${started.output()}`);
    if (Date.now() > deadline) throw new Error(`no ${what} within ${ms} ms:\n${started.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("npx runtrail from the packed tarball", () => {
  let dir: string;
  let server: Started | undefined;
  let url: string;

  beforeAll(async () => {
    if (!existsSync(TARBALL)) throw new Error(`${TARBALL} is missing: run \`npm run pack\` (turbo runs it before this test)`);
    dir = mkdtempSync(join(tmpdir(), "runtrail-tarball-"));
    // --offline: the package depends on nothing, so installing it needs no registry.
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", TARBALL], { cwd: dir, env: ENV });
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null && server.child.signalCode === null && server.child.pid) {
      process.kill(-server.child.pid, "SIGKILL");
      await server.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("lists its options and the store commands", async () => {
    const { stdout } = await run("npx", ["--no-install", "runtrail", "--help"], { cwd: dir, env: ENV });
    for (const text of ["--port", "--host", "--data-dir", "--database-url", "DATABASE_URL", "users create-admin", "projects create", "keys create", "keys revoke"]) {
      expect(stdout).toContain(text);
    }
    expect(stdout).not.toContain("npm run runtrail");
    const bad = npx(dir, ["--port", "http"]);
    expect(await bad.exited).toBe(2);
    expect(bad.output()).toContain('--port: must be a port number from 1 to 65535, got "http"');
  });

  it("serves the dashboard on PGlite in ./.runtrail, prints the key, and records the seed 004 run", async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    server = npx(dir, ["--port", String(port)]);
    const started = server;
    await until("the ready line", () => started.output().includes(`dashboard and API on ${url}`), started);
    const apiKey = /Runtrail API key \(default project, kept in .*\):\s+(rt_\S+)/.exec(started.output())?.[1];
    expect(apiKey, started.output()).toBeDefined();
    expect(readFileSync(join(dir, ".runtrail", "api-key"), "utf8").trim()).toBe(apiKey);
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: "ok", store: "pglite" });

    // Seed 004: tasks in a run, parallel ones finishing in any order, a failure and a skip.
    const client = new Runtrail({ baseUrl: url, apiKey });
    const rec = await client.startRun({ name: "report", input: { file: "report.pdf" } });
    const parse = await rec.startTask("parse-pdf", { file: "report.pdf" });
    await parse.complete({ output: { pages: 3 } });
    const summarise = await rec.startTask("summarise", { pages: 3 });
    await summarise.complete({ output: { summary: "Three pages." } });
    const [users, products] = await Promise.all([rec.startTask("fetch-users"), rec.startTask("fetch-products")]);
    await products.complete({ output: { count: 7 } });
    await users.complete({ output: { count: 12 } });
    const fetchData = await rec.startTask("fetch-data", { url: "https://api.example.com" });
    await fetchData.fail({ errorMessage: "Connection refused" });
    const cached = await rec.startTask("translate");
    await cached.skip();
    await rec.complete({ output: { summary: "Three pages." } });
    await client.shutdown();

    const { run: stored, tasks } = await client.runs.get(rec.id);
    expect(stored).toMatchObject({ name: "report", status: "completed", input: { file: "report.pdf" } });
    expect(tasks.map((t) => [t.name, t.status])).toEqual([
      ["parse-pdf", "completed"],
      ["summarise", "completed"],
      ["fetch-users", "completed"],
      ["fetch-products", "completed"],
      ["fetch-data", "failed"],
      ["translate", "skipped"],
    ]);
    // The page itself (open dashboard on loopback) and the export, from the packed server.
    const page = await fetch(`${url}/runs/${rec.id}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("parse-pdf");
    const csv = await fetch(`${url}/api/v1/runs/${rec.id}/export?format=csv`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).trimEnd().split("\r\n")).toHaveLength(7);
  });

  it("refuses a PGlite directory another server holds, with a message saying so", async () => {
    const second = npx(dir, ["--port", String(await freePort())]);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/Runtrail will not start: the PGlite database in .*\.runtrail is open in another process \(pid \d+, runtrail server\)/);
  });

  it("stops on Ctrl-C, releasing the store; the store commands then work on it", async () => {
    const started = server;
    if (!started?.child.pid) throw new Error("no server");
    process.kill(-started.child.pid, "SIGINT");
    // npx passes Ctrl-C on to runtrail and ends by it; runtrail exits 0 once the store is
    // closed, which removes the lock (a process killed before that would leave it behind).
    expect([0, "SIGINT"]).toContain(await started.exited);
    expect(existsSync(join(dir, ".runtrail", "pglite.lock"))).toBe(false);
    expect(started.output()).not.toMatch(/error/i);
    const { stdout } = await run("npx", ["--no-install", "runtrail", "projects", "list"], { cwd: dir, env: ENV });
    expect(stdout).toMatch(/default\s+Default project\s+1\s+1/);
  });

  it("will not serve beyond loopback without a user", async () => {
    const open = npx(dir, ["--host", "0.0.0.0", "--port", String(await freePort())]);
    expect(await open.exited).toBe(1);
    expect(open.output()).toContain("Runtrail will not start");
  });
});
