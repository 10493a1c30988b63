import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROJECT_ID, writeEvents } from "@runtrail/db";
import { openPgliteTestStore, type TestStore, testStoreKinds } from "@runtrail/db/testing";
import { bigRunEvents } from "@runtrail/db/testing/seed";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "./server";

/**
 * Exporting a 100,000-task run streams it: every task arrives, in timeline order, while
 * the server's resident memory grows by a small part of what it sends (the export is
 * about 100 MB; the server holds about two pages of ~1 MiB at a time, the rest of the
 * growth is garbage not yet collected). On Postgres when it is reachable (seeding is
 * much faster there), else PGlite.
 */

const TASKS = 100_000;
/** The server's old-space limit: under the export's size (about 100 MB, twice that as JS strings). */
const HEAP_MB = 96;
const RUN = "export-big";
// ~1 KB of output per task, so the export (>100 MB) dwarfs the server's own memory swings.
const FILLER = Array.from({ length: 40 }, (_, i) => `word${i} Grüße 東京`).join(" ");

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m?.[1]) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

const kinds = await testStoreKinds();
const kind = kinds.find((k) => k.name === "postgres") ?? kinds[0];

describe(`exporting a ${TASKS.toLocaleString("en")}-task run on ${kind?.name}`, { timeout: 600_000 }, () => {
  let dir: string;
  let pg: TestStore | undefined;
  let server: RunningServer;

  beforeAll(async () => {
    if (!kind) throw new Error("no store");
    dir = mkdtempSync(join(tmpdir(), "runtrail-export-big-"));
    const store = kind.name === "postgres" ? await kind.open() : await openPgliteTestStore(dir);
    if (kind.name === "postgres") pg = store;
    const events = bigRunEvents({ runId: RUN, tasks: TASKS, groupSize: 100 });
    for (const e of events) if (e.type === "task.complete") e.payload = { ...e.payload, output: { ...(e.payload.output as object), text: FILLER } };
    for (let i = 0; i < events.length; i += 2000) await writeEvents(store.store.db, DEFAULT_PROJECT_ID, events.slice(i, i + 2000));
    if (kind.name !== "postgres") await store.cleanup();
    // A heap smaller than the export: a server that held it would die of it. (V8 also
    // grows a fresh heap lazily, by tens of MB, before collecting; a cap keeps the RSS
    // readings about what the export keeps, not about V8's sizing.)
    server = await startServer({ ...(pg ? pg.env : { DATABASE_URL: undefined }), RUNTRAIL_DATA_DIR: dir, NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` });
  }, 900_000);
  afterAll(async () => {
    await server?.stop();
    await pg?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Reads the whole export, sampling the server's RSS as it goes; returns the text and the peak growth. */
  async function exportWhileWatching(format: "csv" | "json") {
    const pid = server.pid;
    if (!pid) throw new Error("no server pid");
    const headers = { authorization: `Bearer ${server.apiKey}`, "accept-encoding": "identity" };
    // Warm up: the route's code loaded, one page read; then the baseline.
    const warm = await fetch(`${server.url}/api/v1/runs/${RUN}/export?format=${format}`, { headers });
    const warmReader = warm.body?.getReader();
    await warmReader?.read();
    await warmReader?.cancel();
    await new Promise((r) => setTimeout(r, 500));
    const baseline = rssBytes(pid);
    let peak = baseline;
    const timer = setInterval(() => {
      peak = Math.max(peak, rssBytes(pid));
    }, 20);
    try {
      const res = await fetch(`${server.url}/api/v1/runs/${RUN}/export?format=${format}`, { headers });
      expect(res.status).toBe(200);
      const decoder = new TextDecoder();
      const parts: string[] = [];
      let bytes = 0;
      const reader = res.body?.getReader();
      if (!reader) throw new Error("no body");
      for (let step = await reader.read(); !step.done; step = await reader.read()) {
        bytes += step.value.byteLength;
        parts.push(decoder.decode(step.value, { stream: true }));
      }
      parts.push(decoder.decode());
      peak = Math.max(peak, rssBytes(pid));
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      console.log(`export ${format}: ${mb(bytes)} sent; server RSS ${mb(baseline)} before, peak ${mb(peak)} (+${mb(peak - baseline)})`);
      return { text: parts.join(""), bytes, growth: peak - baseline };
    } finally {
      clearInterval(timer);
    }
  }

  it("streams every task as CSV in timeline order, the server's memory growing by a small part of it", async () => {
    const { text, bytes, growth } = await exportWhileWatching("csv");
    expect(bytes).toBeGreaterThan(90 * 1024 * 1024);
    const lines = text.split("\r\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(TASKS + 1);
    lines.slice(1).forEach((line, i) => {
      if (!line.startsWith(`task-${i},`)) throw new Error(`row ${i + 1}: ${line.slice(0, 80)}`);
    });
    // Holding the export would take at least its size (twice that as JS strings).
    expect(growth).toBeLessThan(bytes / 2);
  });

  it("streams every task as one JSON document, the same way", async () => {
    const { text, bytes, growth } = await exportWhileWatching("json");
    const doc = JSON.parse(text) as { run: { taskCounts: { total: number } }; tasks: { id: string; output: { text?: string } }[] };
    expect(doc.run.taskCounts.total).toBe(TASKS);
    expect(doc.tasks).toHaveLength(TASKS);
    doc.tasks.forEach((t, i) => {
      if (t.id !== `task-${i}`) throw new Error(`task ${i}: ${t.id}`);
    });
    expect(doc.tasks[5]?.output.text).toBe(FILLER);
    expect(growth).toBeLessThan(bytes / 2);
  });
});
