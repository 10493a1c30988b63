/**
 * End-to-end over real HTTP: a node:http server on 127.0.0.1 plays the ingest API.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Runtrail } from "./client.js";
import { acceptAll, errorsOnly, seqRanks, type WireEvent } from "./testing/fake-ingest.js";

interface Ingest {
  url: string;
  events: WireEvent[];
  requests: number;
  authorization: string[];
  close(): Promise<void>;
}

/** Stores each event id once, like the real server; answers 503 to the requests listed in `failCalls`. */
async function startIngestServer(failCalls: number[] = []): Promise<Ingest> {
  const seen = new Set<string>();
  const state = { events: [] as WireEvent[], requests: 0, authorization: [] as string[] };
  const server: Server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      const call = state.requests++;
      state.authorization.push(req.headers.authorization ?? "");
      if (req.method !== "POST" || new URL(req.url ?? "/", "http://fake").pathname !== "/api/v1/ingest") {
        res.writeHead(404).end();
        return;
      }
      if (failCalls.includes(call)) {
        res.writeHead(503, { "retry-after": "0" }).end('{"error":{"code":"unavailable","message":"try later"}}');
        return;
      }
      const batch = (JSON.parse(body) as { batch: WireEvent[] }).batch;
      for (const event of batch) {
        if (!seen.has(event.id)) {
          seen.add(event.id);
          state.events.push(event);
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end(acceptAll(batch, undefined, { errorsOnly: errorsOnly(req.url ?? "") }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    get events() {
      return state.events;
    },
    get requests() {
      return state.requests;
    },
    get authorization() {
      return state.authorization;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const servers: Ingest[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("over real HTTP", () => {
  it("delivers every event once, in order, through retries", async () => {
    const server = await startIngestServer([1, 2]);
    servers.push(server);
    const client = new Runtrail({ baseUrl: server.url, apiKey: "rt_http", maxBatchSize: 50, flushIntervalMs: 10 });
    const emitted: string[] = [];
    const runs = await Promise.all([client.startRun({ name: "a" }), client.startRun({ name: "b" })]);
    for (let i = 0; i < 100; i++) {
      for (const run of runs) {
        const task = await run.startTask(`step-${i}`, { i });
        if (i % 3 === 0) await task.fail(new Error(`step ${i} failed`));
        else await task.complete({ output: { ok: i } });
        emitted.push(task.id);
      }
    }
    for (const run of runs) await run.complete();
    const report = await client.shutdown();

    expect(report).toEqual({ sent: 404, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });
    expect(server.events).toHaveLength(404);
    expect(server.requests).toBeGreaterThan(2 + 404 / 50);
    expect(new Set(server.authorization)).toEqual(new Set(["Bearer rt_http"]));
    for (const run of runs) {
      const events = server.events.filter((e) => e.runId === run.id);
      expect(seqRanks(events)).toEqual([...Array(202).keys()]);
    }
    const taskOrder = server.events.filter((e) => e.type === "task.start").map((e) => e.taskId);
    expect(taskOrder).toEqual(emitted);
  });
});

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const haveDist = existsSync(distEntry);

/** Runs a script that imports the built SDK in a child `node`; resolves with exit code and duration. */
function runChild(source: string, env: Record<string, string>): Promise<{ code: number | null; ms: number; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), "runtrail-sdk-"));
  const file = join(dir, "script.mjs");
  writeFileSync(file, source.replace("SDK_URL", pathToFileURL(distEntry).href));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(killer);
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, ms: Date.now() - started, stderr });
    });
  });
}

const SCRIPT = `
import { Runtrail } from "SDK_URL";
const client = new Runtrail({ flushIntervalMs: 60000 });
const run = await client.startRun({ name: "child" });
for (let i = 0; i < 30; i++) {
  const task = await run.startTask("t" + i);
  await task.complete();
}
await run.complete();
// No flush, no shutdown: the beforeExit hook must deliver.
`;

describe.skipIf(!haveDist)("in a child process (needs dist: npm run build -w @runtrail/sdk)", () => {
  it("delivers pending events at exit without an explicit flush", async () => {
    const server = await startIngestServer();
    servers.push(server);
    const result = await runChild(SCRIPT, { RUNTRAIL_URL: server.url, RUNTRAIL_API_KEY: "rt_child", RUNTRAIL_DISABLED: "" });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(seqRanks(server.events)).toEqual([...Array(62).keys()]);
  });

  it("exits promptly when the server is unreachable", async () => {
    const server = await startIngestServer();
    const url = server.url;
    await server.close(); // nothing listens on this port now
    const result = await runChild(SCRIPT, { RUNTRAIL_URL: url, RUNTRAIL_API_KEY: "rt_child", RUNTRAIL_DISABLED: "" });
    expect(result.code).toBe(0);
    expect(result.ms).toBeLessThan(5000);
  });
});

if (!haveDist) {
  console.warn(`[sdk tests] skipping child-process tests: ${distEntry} missing; run npm run build -w @runtrail/sdk first.`);
}
