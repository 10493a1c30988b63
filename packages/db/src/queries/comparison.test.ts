import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Db, selectRows } from "../client.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { findLastSuccess, getRunComparison, LAST_SUCCESS_LOOKBACK, lastSuccessQuery, taskNamesQuery } from "./comparison.js";
import { type IngestEvent, writeEvents } from "./ingest.js";

const P = "proj-compare";
const T0 = Date.UTC(2030, 0, 1);
const MIN = 60_000;

/** A task: name, when it starts (ms after the run's start), how long it takes, how it ends (null: still running). */
type Spec = [name: string, at: number, ms: number, end: "complete" | "fail" | null];

/** A run named `name` starting `at` minutes after T0 with `specs` tasks, ending with `end` (null: still running). */
function run(id: string, name: string, at: number, end: "complete" | "fail" | null, specs: Spec[] = []): IngestEvent[] {
  const t0 = T0 + at * MIN;
  let seq = 0;
  const out: IngestEvent[] = [];
  const ev = (type: string, ms: number, taskId: string | null, payload: Record<string, unknown>) =>
    out.push({ id: `${id}-${seq}`, runId: id, seq: ++seq, type, taskId, ts: new Date(t0 + ms), payload });
  ev("run.start", 0, null, { name });
  specs.forEach(([taskName, startMs, ms, taskEnd], i) => {
    ev("task.start", startMs, `${id}-t${i}`, { name: taskName });
    if (taskEnd) ev(`task.${taskEnd}`, startMs + ms, `${id}-t${i}`, taskEnd === "fail" ? { errorMessage: "boom" } : {});
  });
  if (end) ev(`run.${end}`, 1000, null, end === "fail" ? { errorMessage: "boom" } : {});
  return out;
}

/** A plan's text, with sequential scans forbidden so tiny tables show whether an index serves the statement. */
async function plan(db: Db, query: Parameters<typeof sql>[1]): Promise<string> {
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`set local enable_seqscan = off`);
    return selectRows<Record<string, string>>(tx, sql`explain ${query}`);
  });
  return rows.map((r) => Object.values(r)[0]).join("\n");
}

for (const kind of await testStoreKinds()) {
  describe(`comparison with the last successful run on ${kind.name}`, () => {
    let t: TestStore;
    const db = () => t.store.db;
    beforeAll(async () => {
      t = await kind.open();
      await writeEvents(db(), P, [
        ...run("a1", "agent", 0, "complete", [["load", 0, 90, "complete"]]),
        ...run("a2", "agent", 1, "fail", [["load", 0, 10, "fail"]]),
        ...run("a3", "agent", 2, "complete", [
          ["load", 0, 100, "complete"],
          ["classify", 100, 50, "complete"],
          ["write", 150, 20, "complete"],
          ["write", 170, 20, "complete"],
          ["old-step", 190, 10, "complete"],
        ]),
        // Completed, but another name, and (below) another project: neither is a baseline for "agent".
        ...run("o1", "other", 2.5, "complete", [["load", 0, 1, "complete"]]),
        ...run("a4", "agent", 3, "fail", [
          ["load", 0, 400, "complete"],
          ["classify", 400, 20, "complete"],
          ["summarise", 420, 10, "fail"],
          ["write", 430, 0, null],
        ]),
        // Completed after a4 started: later, so never a4's baseline.
        ...run("a5", "agent", 4, "complete", [["load", 0, 100, "complete"]]),
        // Same start as a4: keyset order ((started_at, id)) puts "a39" before "a40" and "a41" after it.
        ...run("a39", "tie", 3, "complete"),
        ...run("a40", "tie", 3, "fail"),
        ...run("a41", "tie", 3, "complete"),
      ]);
      await writeEvents(db(), "other-project", run("x1", "agent", 2.9, "complete", [["load", 0, 1, "complete"]]));
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it("picks the most recent completed run of the same name that started before, in keyset order", async () => {
      const key = (id: string, name: string, at: number) => ({ id, name, startedAt: new Date(T0 + at * MIN).toISOString() });
      expect((await findLastSuccess(db(), P, key("a4", "agent", 3)))?.id).toBe("a3");
      expect((await findLastSuccess(db(), P, key("a3", "agent", 2)))?.id).toBe("a1");
      expect(await findLastSuccess(db(), P, key("a1", "agent", 0))).toBeNull();
      expect((await findLastSuccess(db(), P, key("a40", "tie", 3)))?.id).toBe("a39");
      expect(await findLastSuccess(db(), P, key("a4", "", 3))).toBeNull();
      expect(await findLastSuccess(db(), "nobody", key("a4", "agent", 3))).toBeNull();
    });

    it(`gives up after ${LAST_SUCCESS_LOOKBACK} runs of the name without a success`, async () => {
      const at = (i: number) => 10 + i / 10_000;
      await writeEvents(db(), P, [
        ...run("s0", "flaky", at(0), "complete"),
        ...Array.from({ length: LAST_SUCCESS_LOOKBACK }, (_, i) => run(`f${String(i).padStart(4, "0")}`, "flaky", at(i + 1), "fail")).flat(),
      ]);
      const last = LAST_SUCCESS_LOOKBACK - 1;
      // The last failed run has s0 exactly LAST_SUCCESS_LOOKBACK runs back; one run later it is out of reach.
      const key = (i: number) => ({ id: `f${String(i).padStart(4, "0")}`, name: "flaky", startedAt: new Date(T0 + at(i + 1) * MIN).toISOString() });
      expect((await findLastSuccess(db(), P, key(last)))?.id).toBe("s0");
      expect(await findLastSuccess(db(), P, key(last + 1))).toBeNull();
    });

    it("compares both runs' tasks per name, failures first, then the biggest regressions", async () => {
      const c = await getRunComparison(db(), P, "a4");
      expect(c?.run.id).toBe("a4");
      expect(c?.baseline).toMatchObject({ id: "a3", name: "agent", status: "completed", durationMs: 1000 });
      expect(c?.nameCount).toBe(5);
      expect(c?.names.map((n) => n.name)).toEqual(["summarise", "load", "old-step", "classify", "write"]);
      const by = new Map(c?.names.map((n) => [n.name, n]));
      expect(by.get("summarise")).toEqual({ name: "summarise", run: { count: 1, ended: 1, totalMs: 10, maxMs: 10, failed: 1 }, baseline: null });
      expect(by.get("load")).toEqual({
        name: "load",
        run: { count: 1, ended: 1, totalMs: 400, maxMs: 400, failed: 0 },
        baseline: { count: 1, ended: 1, totalMs: 100, maxMs: 100, failed: 0 },
      });
      expect(by.get("old-step")).toMatchObject({ run: null, baseline: { count: 1, totalMs: 10 } });
      // A running task has no duration yet: counted, but not as 0 ms.
      expect(by.get("write")).toEqual({
        name: "write",
        run: { count: 1, ended: 0, totalMs: 0, maxMs: 0, failed: 0 },
        baseline: { count: 2, ended: 2, totalMs: 40, maxMs: 20, failed: 0 },
      });
    });

    it("cuts the list at the limit but still counts every name", async () => {
      const c = await getRunComparison(db(), P, "a4", 2);
      expect(c?.names.map((n) => n.name)).toEqual(["summarise", "load"]);
      expect(c?.nameCount).toBe(5);
    });

    it("answers no baseline for a first run, and null for an unknown run", async () => {
      expect(await getRunComparison(db(), P, "a1")).toMatchObject({ run: { id: "a1" }, baseline: null, names: [], nameCount: 0 });
      expect(await getRunComparison(db(), P, "nope")).toBeNull();
      expect(await getRunComparison(db(), "other-project", "a4")).toBeNull();
    });

    it("finds the baseline on an index range of (project_id, name, started_at) and reads only the two runs' tasks", async () => {
      const before = { id: "a4", name: "agent", startedAt: new Date(T0 + 3 * MIN).toISOString() };
      const baseline = await plan(db(), lastSuccessQuery(db(), P, before).getSQL());
      // An index walk from this run's start backwards, cut at the lookback: no scan, no sort.
      expect(baseline).toMatch(/Index Scan using runs_(name_)?recent_idx/);
      expect(baseline).toMatch(/Index Cond: \(\(project_id = 'proj-compare'::text\) AND .*ROW\(started_at, id\) < ROW\(/);
      expect(baseline).toMatch(/Limit/);
      expect(baseline).not.toMatch(/Seq Scan/);
      // On Citus each shard walks its part of the index and the coordinator merges the walks.
      if (kind.name !== "citus") expect(baseline).not.toMatch(/Sort/);
      const names = await plan(db(), taskNamesQuery(P, "a4", "a3", 500));
      // Both runs' tasks by an equality on the key's leading (project_id, run_id), never another run's.
      expect(names.match(/Index Cond: \(\(project_id = 'proj-compare'::text\) AND \(run_id = 'a[34]'::text\)/g)).toHaveLength(2);
      expect(names).not.toMatch(/Seq Scan/);
    });
  });
}
