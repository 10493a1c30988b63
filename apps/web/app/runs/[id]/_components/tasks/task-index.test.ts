import type { TaskStatus, TaskSummaryView } from "@runtrail/db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { failureOrder, PROBLEM_STATUSES } from "./error-filter";
import { TaskIndex } from "./task-index";
import { summaryTask } from "./testing/summary-task";
import { applyTasks, errorsOnly, flattenTasks, taskTimes, toLiveTasks } from "./testing/whole-list";

const STATUSES: TaskStatus[] = ["running", "completed", "failed", "cancelled", "skipped"];
const at = (ms: number | null) => (ms === null ? null : new Date(Date.UTC(2030, 0, 1) + ms).toISOString());

/** A task among a few ids, so adds, updates, moves, orphans, self-parents and cycles all happen. */
const arbTask = fc
  .record({
    id: fc.integer({ min: 0, max: 14 }),
    parent: fc.option(fc.integer({ min: 0, max: 14 }), { freq: 2 }),
    status: fc.constantFrom(...STATUSES),
    seq: fc.option(fc.integer({ min: 1, max: 30 }), { freq: 4 }),
    version: fc.integer({ min: 1, max: 6 }),
    start: fc.option(fc.integer({ min: 0, max: 50 }), { freq: 4 }),
    end: fc.option(fc.integer({ min: 0, max: 60 })),
  })
  .map(
    (r): TaskSummaryView => ({
      id: `t${r.id}`,
      runId: "r",
      parentTaskId: r.parent === null ? null : `t${r.parent}`,
      name: `t${r.id}`,
      status: r.status,
      errorMessage: null,
      statusMessage: null,
      progress: null,
      usage: null,
      seq: r.seq,
      version: r.version,
      startedAt: at(r.start),
      endedAt: at(r.end),
      durationMs: null,
    }),
  );

const arbBatches = fc.array(fc.array(arbTask, { maxLength: 40 }), { minLength: 1, maxLength: 8 });
const arbIds = fc.uniqueArray(fc.integer({ min: 0, max: 14 }).map((i) => `t${i}`), { maxLength: 5 });

describe("task index", () => {
  it("matches a whole rebuild after any sequence of applies: order, tree, times, failures, errors only", () => {
    fc.assert(
      fc.property(arbBatches, arbIds, fc.option(fc.integer({ min: 0, max: 14 })), (batches, closed, also) => {
        const index = new TaskIndex(batches[0]);
        let live = toLiveTasks([]);
        live = applyTasks(live, batches[0] ?? []);
        for (const batch of batches.slice(1)) {
          index.apply(batch);
          live = applyTasks(live, batch);
        }
        const tasks = live.ordered;
        expect(index.ordered).toEqual(tasks);
        expect([...index.byId.entries()].sort()).toEqual([...live.byId.entries()].sort());
        const collapsed = new Set(closed);
        expect(index.rows(collapsed)).toEqual(flattenTasks(tasks, collapsed));
        const times = taskTimes(tasks);
        expect(index.bounds()).toEqual({ min: times.min, max: times.max, running: times.running });
        expect(index.times()).toEqual(times);
        expect(index.failures()).toEqual(failureOrder(tasks));
        expect(index.problemCount).toBe(tasks.filter((t) => PROBLEM_STATUSES.has(t.status)).length);
        const alsoId = also === null ? null : `t${also}`;
        const shown = errorsOnly(tasks, live.byId, alsoId);
        const keep = index.errorIds(alsoId);
        expect([...keep].sort()).toEqual(shown.map((t) => t.id).sort());
        expect(index.rows(collapsed, keep)).toEqual(flattenTasks(shown, collapsed));
      }),
      { numRuns: 400 },
    );
  });

  it("counts only applies that change something, and hands out a new ordered list each time", () => {
    const t = (id: string, version: number, seq: number) => summaryTask(id, { status: "running", seq, version });
    const index = new TaskIndex([t("a", 1, 1)]);
    const before = index.ordered;
    expect(index.apply([t("a", 1, 1)])).toBe(false);
    expect(index.ordered).toBe(before);
    const revision = index.revision;
    expect(index.apply([t("b", 1, 2)])).toBe(true);
    expect(index.revision).toBe(revision + 1);
    expect(index.ordered).not.toBe(before);
    expect(before.map((x) => x.id)).toEqual(["a"]);
  });

  it("keeps unchanged rows as the same objects across applies", () => {
    const t = (id: string, seq: number, parentTaskId: string | null = null) => summaryTask(id, { status: "running", seq, parentTaskId });
    const index = new TaskIndex([t("g", 1), t("a", 2, "g"), t("b", 3)]);
    const first = index.rows();
    index.apply([t("c", 4, "g")]);
    const second = index.rows();
    expect(second[1]).toBe(first[1]); // a: same task, depth and child count
    expect(second[0]).not.toBe(first[0]); // g: one more child
  });
});
