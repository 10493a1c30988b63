import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRun, listRuns } from "./runs.js";

const P = "proj-a";
const clock = Date.parse("2026-11-22T10:00:00.000Z");
const at = (ms: number) => new Date(clock + ms);

/** The seed 004 example (run, parse-pdf, summarise) as the SDK would emit it, plus parallel tasks. */
function seedRun(runId: string): IngestEvent[] {
  let seq = 0;
  const ev = (type: string, ms: number, taskId: string | null, payload: Record<string, unknown>): IngestEvent => ({
    id: `${runId}-e${seq}`,
    runId,
    seq: seq++,
    type,
    taskId,
    ts: at(ms),
    payload,
  });
  return [
    ev("run.start", 0, null, { name: "report", input: { file: "report.pdf" }, tags: ["pdf"], metadata: { user: "u1" } }),
    ev("task.start", 5, "t1", { name: "parse-pdf", input: { file: "report.pdf" } }),
    ev("task.complete", 120, "t1", { output: { pages: 3 } }),
    ev("task.start", 121, "t2", { name: "summarise", input: { pages: 3 } }),
    ev("task.start", 122, "t3", { name: "fetch-users" }),
    ev("task.start", 123, "t4", { name: "fetch-products" }),
    ev("task.start", 124, "t5", { name: "ocr-page", parentTaskId: "t4" }),
    ev("task.fail", 180, "t5", { errorMessage: "Connection refused", errorStack: "Error: Connection refused\n    at x" }),
    ev("task.complete", 200, "t4", { output: { count: 7 } }),
    ev("task.complete", 210, "t3", { output: { count: 12 } }),
    ev("task.skip", 211, "t6", { reason: "cache hit" }),
    ev("task.start", 211, "t6", { name: "translate" }),
    ev("task.complete", 400, "t2", { output: { summary: "Three pages about Runtrail." } }),
    ev("run.complete", 401, null, { output: { summary: "Three pages about Runtrail." } }),
  ];
}

/** Deterministic shuffle (mulberry32), so a failure can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed;
  const rand = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`ingest on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t.cleanup();
    });

    async function stored(runId: string) {
      const r = await getRun(t.store.db, P, runId);
      if (!r) throw new Error(`run ${runId} not stored`);
      // lastEventAt depends only on events, so the whole view must match.
      return r;
    }

    it("stores the seed run with tasks in emit order and outputs intact", async () => {
      const statuses = (await writeEvents(t.store.db, P, seedRun("r-seed"))).statuses;
      expect(statuses.every((s) => s === "accepted")).toBe(true);
      const { run, tasks } = await stored("r-seed");
      expect(run).toMatchObject({
        name: "report",
        status: "completed",
        input: { file: "report.pdf" },
        output: { summary: "Three pages about Runtrail." },
        tags: ["pdf"],
        metadata: { user: "u1" },
        durationMs: 401,
        taskCounts: { total: 6, running: 0, completed: 4, failed: 1, skipped: 1, cancelled: 0 },
      });
      expect(tasks.map((x) => x.name)).toEqual(["parse-pdf", "summarise", "fetch-users", "fetch-products", "ocr-page", "translate"]);
      expect(tasks[0]).toMatchObject({ status: "completed", output: { pages: 3 }, durationMs: 115 });
      expect(tasks.find((x) => x.id === "t5")).toMatchObject({ status: "failed", parentTaskId: "t4", errorMessage: "Connection refused" });
      expect(tasks.find((x) => x.id === "t6")).toMatchObject({ status: "skipped", statusMessage: "cache hit" });
    });

    it("replaying a batch changes nothing and reports duplicates", async () => {
      const events = seedRun("r-dup");
      await writeEvents(t.store.db, P, events);
      const before = await stored("r-dup");
      const again = (await writeEvents(t.store.db, P, events)).statuses;
      expect(new Set(again)).toEqual(new Set(["duplicate"]));
      expect(await stored("r-dup")).toEqual(before);
      // the same event twice inside one batch is stored once
      const twice = (await writeEvents(t.store.db, P, [...seedRun("r-dup2"), ...seedRun("r-dup2")])).statuses;
      expect(twice.filter((s) => s === "accepted")).toHaveLength(14);
      expect((await stored("r-dup2")).run.taskCounts.total).toBe(6);
    });

    it("reversed, shuffled and interleaved batches give the same stored run", async () => {
      await writeEvents(t.store.db, P, seedRun("r-ref"));
      // `version` counts stored batches, so it depends on how the events were split; the rest must not.
      const normal = (r: Awaited<ReturnType<typeof stored>>, id: string): unknown =>
        JSON.parse(JSON.stringify(r).replaceAll(id, "r-ref"), (k, v) => (k === "version" ? undefined : v));
      const ref = normal(await stored("r-ref"), "r-ref");

      const reversed = seedRun("r-rev").reverse();
      for (const e of reversed) await writeEvents(t.store.db, P, [e]);
      expect(normal(await stored("r-rev"), "r-rev")).toEqual(ref);

      for (const seed of [1, 2, 3, 4, 5]) {
        const id = `r-shuf${seed}`;
        for (const batch of chunks(shuffled(seedRun(id), seed), 1 + (seed % 4))) await writeEvents(t.store.db, P, batch);
        expect(normal(await stored(id), id)).toEqual(ref);
      }

      // two runs' events interleaved across batches, with retries of earlier batches mixed in
      const a = seedRun("r-ia");
      const b = seedRun("r-ib");
      const mixed = a.flatMap((e, i) => [e, b[i] as IngestEvent]);
      const batches = chunks(shuffled(mixed, 42), 5);
      for (const [i, batch] of batches.entries()) {
        await writeEvents(t.store.db, P, batch);
        if (i > 0) await writeEvents(t.store.db, P, batches[i - 1] ?? []);
      }
      expect(normal(await stored("r-ia"), "r-ia")).toEqual(ref);
      expect(normal(await stored("r-ib"), "r-ib")).toEqual(ref);
    });

    it("concurrent batches for one run converge", async () => {
      const events = shuffled(seedRun("r-conc"), 9);
      await Promise.all(chunks(events, 2).map((b) => writeEvents(t.store.db, P, b)));
      const { run, tasks } = await stored("r-conc");
      expect(run.status).toBe("completed");
      expect(run.taskCounts).toEqual({ total: 6, running: 0, completed: 4, failed: 1, skipped: 1, cancelled: 0 });
      expect(tasks.map((x) => x.status)).toEqual(["completed", "completed", "completed", "completed", "failed", "skipped"]);
    });

    it("the first terminal event by seq wins, whatever arrives first", async () => {
      const mk = (runId: string, seq: number, type: string, payload: Record<string, unknown> = {}): IngestEvent => ({
        id: `${runId}-${seq}`,
        runId,
        seq,
        type,
        taskId: type.startsWith("task") ? "t" : null,
        ts: at(seq),
        payload,
      });
      const start = (r: string) => [mk(r, 0, "run.start", { name: "x" }), mk(r, 1, "task.start", { name: "step" })];

      await writeEvents(t.store.db, P, start("r-term1"));
      expect((await writeEvents(t.store.db, P, [mk("r-term1", 2, "task.complete", { output: 1 })])).statuses).toEqual(["accepted"]);
      expect((await writeEvents(t.store.db, P, [mk("r-term1", 3, "task.fail", { errorMessage: "late" })])).statuses).toEqual(["conflict"]);

      await writeEvents(t.store.db, P, start("r-term2"));
      await writeEvents(t.store.db, P, [mk("r-term2", 3, "task.fail", { errorMessage: "late" })]);
      await writeEvents(t.store.db, P, [mk("r-term2", 2, "task.complete", { output: 1 })]);

      for (const r of ["r-term1", "r-term2"]) {
        const { tasks, run } = await stored(r);
        expect(tasks[0]).toMatchObject({ status: "completed", output: 1, errorMessage: null });
        expect(run.taskCounts).toMatchObject({ total: 1, completed: 1, failed: 0, running: 0 });
      }
      const runEnd = (await writeEvents(t.store.db, P, [mk("r-term1", 4, "run.fail", { errorMessage: "a" }), mk("r-term1", 5, "run.complete")])).statuses;
      expect(runEnd).toEqual(["accepted", "conflict"]);
      expect((await stored("r-term1")).run).toMatchObject({ status: "failed", errorMessage: "a" });
    });

    it("a task's complete before its start still ends up right, and the run placeholder fills in", async () => {
      const events = seedRun("r-late");
      const runStart = events.shift() as IngestEvent;
      (await writeEvents(t.store.db, P, events.slice(1, 2))).statuses; // t1's complete alone
      let r = await stored("r-late");
      expect(r.run).toMatchObject({ name: "", status: "running" });
      expect(r.tasks[0]).toMatchObject({ id: "t1", status: "completed", startedAt: null });
      await writeEvents(t.store.db, P, events);
      await writeEvents(t.store.db, P, [runStart]);
      r = await stored("r-late");
      expect(r.run).toMatchObject({ name: "report", status: "completed", startedAt: at(0).toISOString() });
      expect(r.tasks[0]).toMatchObject({ name: "parse-pdf", status: "completed", durationMs: 115 });
    });

    it("keeps projects apart and lists runs newest first with keyset pages and filters", async () => {
      const base = Date.parse("2030-01-01T00:00:00Z");
      for (let i = 0; i < 7; i++) {
        const runId = `list-${i}`;
        await writeEvents(t.store.db, "proj-list", [
          { id: `${runId}-0`, runId, seq: 0, type: "run.start", taskId: null, ts: new Date(base + i * 1000), payload: { name: i % 2 ? "odd" : "even", tags: [`n${i}`] } },
          ...(i === 3 ? [{ id: `${runId}-1`, runId, seq: 1, type: "run.fail", taskId: null, ts: new Date(base + i * 1000 + 5), payload: { errorMessage: "boom" } }] : []),
        ]);
      }
      expect(await getRun(t.store.db, "proj-other", "list-1")).toBeNull();
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listRuns(t.store.db, "proj-list", { limit: 3, cursor });
        seen.push(...page.data.map((r) => r.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(["list-6", "list-5", "list-4", "list-3", "list-2", "list-1", "list-0"]);
      expect((await listRuns(t.store.db, "proj-list", { status: "failed" })).data.map((r) => r.id)).toEqual(["list-3"]);
      expect((await listRuns(t.store.db, "proj-list", { name: "odd" })).data).toHaveLength(3);
      expect((await listRuns(t.store.db, "proj-list", { tag: "n5" })).data.map((r) => r.id)).toEqual(["list-5"]);
      const window = await listRuns(t.store.db, "proj-list", { from: new Date(base + 2000), to: new Date(base + 4000) });
      expect(window.data.map((r) => r.id)).toEqual(["list-3", "list-2"]);
      expect((await listRuns(t.store.db, "proj-other")).data).toEqual([]);
    });
  });
}
