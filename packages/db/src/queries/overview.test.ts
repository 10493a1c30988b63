import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRunStats, listRunBuckets, listTaskDurations } from "./overview.js";

const P = "proj-overview";
const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;
const HOUR = 60 * MIN;
const W = { from: new Date(T0), to: new Date(T0 + 6 * HOUR), bucketMs: HOUR };

interface TaskSpec {
  name: string;
  ms: number;
  end: "complete" | "fail";
  usage?: Record<string, number>;
}

/** One run starting `at` ms after T0, ending `ms` later with `end` (or running), with sequential tasks. */
function run(id: string, at: number, end: string | null, ms: number, taskSpecs: TaskSpec[] = [], usage?: Record<string, number>): IngestEvent[] {
  let seq = 0;
  const ev = (type: string, offset: number, taskId: string | null, payload: Record<string, unknown>): IngestEvent => ({
    id: `${id}-e${seq}`,
    runId: id,
    seq: seq++,
    type,
    taskId,
    ts: new Date(T0 + at + offset),
    payload,
  });
  const out = [ev("run.start", 0, null, { name: "agent" })];
  taskSpecs.forEach((t, i) => {
    out.push(ev("task.start", 0, `${id}-t${i}`, { name: t.name }));
    out.push(ev(`task.${t.end}`, t.ms, `${id}-t${i}`, t.usage ? { usage: t.usage } : {}));
  });
  if (end) out.push(ev(`run.${end}`, ms, null, usage ? { usage } : {}));
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`overview aggregates on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await writeEvents(t.store.db, P, [
        ...run("r1", 10 * MIN, "complete", 2000, [
          { name: "parse", ms: 1000, end: "complete", usage: { inputTokens: 100, outputTokens: 50, costUsd: 0.01 } },
          { name: "summarise", ms: 3000, end: "complete" },
        ]),
        ...run("r2", 20 * MIN, "fail", 4000, [{ name: "parse", ms: 3000, end: "fail" }], { inputTokens: 10, costUsd: 0.5 }),
        ...run("r3", 2 * HOUR + 5 * MIN, "cancel", 1000),
        ...run("r4", 2 * HOUR + 10 * MIN, null, 0),
        // Outside the window: before it, at its end (exclusive), and another project's.
        ...run("early", -MIN, "fail", 1000, [{ name: "parse", ms: 99_999, end: "complete" }]),
        ...run("late", 6 * HOUR, "fail", 1000),
      ]);
      await writeEvents(t.store.db, "other", run("r1", 10 * MIN, "fail", 1000, [{ name: "parse", ms: 5, end: "fail" }]));
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it("fills every bucket of the window, counting runs by status", async () => {
      const buckets = await listRunBuckets(t.store.db, P, W);
      expect(buckets.map((b) => b.start)).toEqual(Array.from({ length: 6 }, (_, i) => new Date(T0 + i * HOUR).toISOString()));
      expect(buckets[0]?.counts).toEqual({ running: 0, completed: 1, failed: 1, cancelled: 0, timed_out: 0 });
      expect(buckets[0]).toMatchObject({ finished: 2, failed: 1, failureRate: 0.5, inputTokens: 110, outputTokens: 50, costUsd: 0.51 });
      expect(buckets[1]).toMatchObject({ finished: 0, failed: 0, failureRate: null, costUsd: 0 });
      expect(buckets[2]?.counts).toEqual({ running: 1, completed: 0, failed: 0, cancelled: 1, timed_out: 0 });
      expect(buckets[2]?.failureRate).toBe(0);
      expect(buckets.slice(3).every((b) => b.finished === 0 && b.counts.running === 0)).toBe(true);
    });

    it("totals the window: runs, failure rate, duration percentiles, tokens and cost", async () => {
      const s = await getRunStats(t.store.db, P, W);
      expect(s).toMatchObject({ runs: 4, finished: 3, failed: 1, tokens: 160, costUsd: 0.51 });
      expect(s.failureRate).toBeCloseTo(1 / 3);
      // Ended runs took 2 s, 4 s and 1 s; percentile_cont interpolates.
      expect(s.p50DurationMs).toBeCloseTo(2000);
      expect(s.p95DurationMs).toBeCloseTo(3800);
    });

    it("answers an empty window with zeros and no rates", async () => {
      const empty = { from: new Date(T0 + 10 * HOUR), to: new Date(T0 + 12 * HOUR), bucketMs: HOUR };
      expect(await getRunStats(t.store.db, P, empty)).toEqual({
        runs: 0,
        finished: 0,
        failed: 0,
        failureRate: null,
        p50DurationMs: null,
        p95DurationMs: null,
        tokens: 0,
        costUsd: 0,
      });
      expect((await listRunBuckets(t.store.db, P, empty)).map((b) => b.finished)).toEqual([0, 0]);
      expect(await listTaskDurations(t.store.db, P, empty)).toEqual([]);
    });

    it("gives p50 / p95 task durations of the most frequent names", async () => {
      const d = await listTaskDurations(t.store.db, P, W);
      expect(d.map((x) => [x.name, x.count, x.failed])).toEqual([
        ["parse", 2, 1],
        ["summarise", 1, 0],
      ]);
      expect(d[0]?.p50Ms).toBeCloseTo(2000);
      expect(d[0]?.p95Ms).toBeCloseTo(2900);
      expect(d[1]?.p95Ms).toBeCloseTo(3000);
      expect((await listTaskDurations(t.store.db, P, W, 1)).map((x) => x.name)).toEqual(["parse"]);
    });

    it("reaches the window's runs through an index range on (project_id, …, started_at)", async () => {
      // Tiny tables favour a sequential scan; forbid it (in one transaction: one connection) to see the index is usable.
      const plan = await t.store.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        return selectRows<Record<string, string>>(
          tx,
          sql`explain select status, ended_at, cost_usd from runs where project_id = ${P}
              and started_at >= ${W.from.toISOString()}::timestamptz and started_at < ${W.to.toISOString()}::timestamptz`,
        );
      });
      const text = plan.map((r) => Object.values(r)[0]).join("\n");
      // The time range is an index condition, not a filter over every run of the project.
      expect(text).toMatch(/Index Cond: \(\(project_id = .* AND \(started_at >= .* AND \(started_at < /);
      expect(text).not.toMatch(/Seq Scan/);
    });
  });
}
