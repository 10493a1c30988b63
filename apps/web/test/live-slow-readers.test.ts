import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_ID, type Db, type IngestEvent, writeEvents } from "@runtrail/db";
import { openPgliteTestStore, type TestStore, testStoreKinds } from "@runtrail/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "./harness";
import { type RunningServer, startServer } from "./server";
import { openSse } from "./sse";

/**
 * Issue 17, finding 2: readers of a live stream that never read must not make the
 * server buffer the run for them. Twenty sockets open the stream of a running run of
 * 10,000 tasks with payloads (~35 MB as JSON) and never read; meanwhile a normal
 * reader reads the whole run and a new change. The server's resident memory may grow
 * by less than 100 MB (it grew by 700 MB and more when each stream queued every page
 * of its first read), and /api/health keeps answering within 200 ms.
 */

const TASKS = 10_000;
/** Characters of each task's input: ~3.5 KB of payload a task. */
const PAYLOAD_CHARS = 3_400;
const PAUSED_READERS = 20;
const MAX_GROWTH_BYTES = 100 * 1024 * 1024;
const HEALTH_CHECKS = 10;
const HEALTH_MS = 200;

/** A running run of TASKS running tasks with incompressible inputs, written straight into the store. */
async function seedRun(db: Db, runId: string): Promise<void> {
  const rand = prng(17);
  const blob = () => {
    let s = "";
    while (s.length < PAYLOAD_CHARS) s += Math.floor(rand() * 2 ** 32).toString(36);
    return s.slice(0, PAYLOAD_CHARS);
  };
  const t0 = Date.now() - 3_600_000;
  let seq = 0;
  const event = (type: string, taskId: string | null, payload: Record<string, unknown>): IngestEvent => {
    seq += 1;
    return { id: `${runId}-e${seq}`, runId, seq, type, taskId, ts: new Date(t0 + seq), payload };
  };
  let batch: IngestEvent[] = [event("run.start", null, { name: "big payloads" })];
  for (let i = 0; i < TASKS; i++) {
    batch.push(event("task.start", `task-${i}`, { name: `step-${i}`, input: { text: blob() } }));
    if (batch.length >= 1000) {
      await writeEvents(db, DEFAULT_PROJECT_ID, batch);
      batch = [];
    }
  }
  if (batch.length > 0) await writeEvents(db, DEFAULT_PROJECT_ID, batch);
}

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8")
    .split("\n")
    .find((l) => l.startsWith("VmRSS:"));
  const kb = Number(line?.replace(/\D+/g, ""));
  if (!Number.isFinite(kb) || kb <= 0) throw new Error(`no VmRSS for process ${pid}`);
  return kb * 1024;
}

/** A client that sends the request and then never reads a byte of the answer. */
function pausedReader(url: string, path: string, apiKey: string): Promise<Socket> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.pause();
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAuthorization: Bearer ${apiKey}\r\nAccept: text/event-stream\r\n\r\n`);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

for (const kind of await testStoreKinds()) {
  describe(`slow live-stream readers on ${kind.name}`, () => {
    const runId = `slow-readers-${kind.name}`;
    let dir = "";
    let pg: TestStore | undefined;
    let server: RunningServer | undefined;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), "runtrail-slow-readers-"));
      if (kind.name === "postgres") {
        pg = await kind.open();
        await seedRun(pg.store.db, runId);
        server = await startServer({ DATABASE_URL: pg.env.DATABASE_URL, RUNTRAIL_DATA_DIR: dir });
      } else {
        // PGlite's directory has one owner at a time: seed it, close it, then start the server on it.
        const store = await openPgliteTestStore(dir);
        try {
          await seedRun(store.store.db, runId);
        } finally {
          await store.cleanup();
        }
        server = await startServer({ DATABASE_URL: undefined, RUNTRAIL_DATA_DIR: dir });
      }
    });

    afterAll(async () => {
      try {
        await server?.stop();
      } finally {
        await pg?.cleanup();
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("twenty paused readers of a 35 MB run cost the server little memory and no latency; a normal reader gets every change", async () => {
      if (!server) throw new Error("server not started");
      const s = server;
      const auth = { authorization: `Bearer ${s.apiKey}` };
      const path = `/api/v1/runs/${runId}/stream`;

      // Once through the whole run first, so what a stream needs is loaded and warm.
      const readAll = async () => {
        const sse = await openSse(`${s.url}${path}`, auth);
        expect(sse.status).toBe(200);
        const ids = new Set<string>();
        let bytes = 0;
        for (let m = await sse.next(30_000); m?.event === "tasks"; m = await sse.next(30_000)) {
          for (const t of m.data as { id: string; input: unknown }[]) ids.add(t.id);
          bytes += JSON.stringify(m.data).length;
        }
        return { sse, ids, bytes };
      };
      const warm = await readAll();
      warm.sse.close();
      expect(warm.ids.size).toBe(TASKS);
      expect(warm.bytes).toBeGreaterThan(35_000_000);

      const baseline = Math.min(rssBytes(s.pid), rssBytes(s.pid));
      let peak = baseline;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssBytes(s.pid));
      }, 50);
      const paused: Socket[] = [];
      try {
        for (let i = 0; i < PAUSED_READERS; i++) paused.push(await pausedReader(s.url, path, s.apiKey));

        // A normal reader meanwhile: the whole run, then a change made after it opened.
        const normal = await readAll();
        expect(normal.ids.size).toBe(TASKS);
        const change = await fetch(`${s.url}/api/v1/ingest`, {
          method: "POST",
          headers: { ...auth, "content-type": "application/json" },
          body: JSON.stringify({
            batch: [{ id: `${runId}-late`, runId, seq: 1e15, ts: new Date().toISOString(), type: "task.start", taskId: "late", name: "late" }],
          }),
        });
        expect(change.status).toBe(200);
        const late = await normal.sse.next(30_000);
        expect(late).toMatchObject({ event: "tasks", data: [expect.objectContaining({ id: "late", status: "running" })] });
        expect(late?.data).toHaveLength(1);
        expect(await normal.sse.next(30_000)).toMatchObject({ event: "run", data: { taskCounts: { total: TASKS + 1 } } });
        normal.sse.close();

        const healthMs: number[] = [];
        for (let i = 0; i < HEALTH_CHECKS; i++) {
          const t0 = performance.now();
          const res = await fetch(`${s.url}/api/health`);
          await res.text();
          healthMs.push(performance.now() - t0);
          expect(res.status).toBe(200);
        }
        peak = Math.max(peak, rssBytes(s.pid));
        const growthMb = Math.round((peak - baseline) / 1024 / 1024);
        const slow = healthMs.filter((ms) => ms >= HEALTH_MS).length;
        console.log(
          `${kind.name}: server RSS ${Math.round(baseline / 1024 / 1024)} MB -> peak ${Math.round(peak / 1024 / 1024)} MB (+${growthMb} MB) ` +
            `with ${PAUSED_READERS} paused readers; health ${healthMs.map((ms) => Math.round(ms)).join(", ")} ms`,
        );
        expect(peak - baseline).toBeLessThan(MAX_GROWTH_BYTES);
        // Most answers, not every one: a single slow answer can be the shared machine, not the server.
        expect(slow).toBeLessThanOrEqual(HEALTH_CHECKS / 5);
      } finally {
        clearInterval(sampler);
        for (const socket of paused) socket.destroy();
      }
    });
  });
}
