import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRunOutline } from "./run-outline.js";
import { getTaskAttributes } from "./task-attributes.js";

const P = "proj-outline";
const T0 = Date.UTC(2030, 0, 2);

function ev(id: string, seq: number, type: string, taskId: string | null, ms: number, payload: Record<string, unknown> = {}): IngestEvent {
  return { id, runId: "r", seq, type, taskId, ts: new Date(T0 + ms), payload };
}

for (const kind of await testStoreKinds()) {
  describe(`run outline and task attributes on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await writeEvents(t.store.db, P, [
        ev("e1", 1, "run.start", null, 0, { name: "job" }),
        ev("e2", 2, "task.start", "root", 0, { name: "root", attributes: { "z.last": 1, "a.first": "x", "service.name": "svc" } }),
        ev("e3", 3, "task.start", "a", 10, { name: "fetch", parentTaskId: "root" }),
        ev("e4", 4, "task.start", "b", 20, { name: "fetch", parentTaskId: "root" }),
        ev("e5", 5, "task.start", "c", 30, { name: "parse", parentTaskId: "a" }),
        ev("e6", 6, "task.fail", "c", 90, { errorMessage: `bad page ${"!".repeat(400)}` }),
        ev("e7", 7, "task.fail", "b", 70, { errorMessage: "timeout" }),
        ev("e8", 8, "task.complete", "a", 100),
        ev("e9", 9, "task.start", "d", 110, { name: "write", parentTaskId: "root" }),
      ]);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    it("lists failures by end with their parents' names, running tasks, time per name and the longest tasks", async () => {
      const o = await getRunOutline(t.store.db, P, "r");
      expect(o?.run).toMatchObject({ name: "job", status: "running" });
      expect(o?.failed.map((f) => [f.id, f.parentName, f.durationMs])).toEqual([
        ["b", "root", 50],
        ["c", "fetch", 60],
      ]);
      expect(o?.failed[1]?.errorMessage).toHaveLength(300);
      expect(o?.running.map((r) => r.id)).toEqual(["root", "d"]);
      expect(o?.names).toEqual([
        { name: "fetch", count: 2, totalMs: 140, maxMs: 90, failed: 1 },
        { name: "parse", count: 1, totalMs: 60, maxMs: 60, failed: 1 },
        { name: "root", count: 1, totalMs: 0, maxMs: 0, failed: 0 },
        { name: "write", count: 1, totalMs: 0, maxMs: 0, failed: 0 },
      ]);
      expect(o?.nameCount).toBe(4);
      expect(o?.slowest.map((s) => s.id)).toEqual(["a", "c", "b"]);
      expect(await getRunOutline(t.store.db, "other", "r")).toBeNull();
    });

    it("reads a task's attributes from its start event, sorted by key; null without any", async () => {
      expect(Object.keys((await getTaskAttributes(t.store.db, P, "r", "root")) ?? {})).toEqual(["a.first", "service.name", "z.last"]);
      expect(await getTaskAttributes(t.store.db, P, "r", "a")).toBeNull();
      expect(await getTaskAttributes(t.store.db, "other", "r", "root")).toBeNull();
    });
  });
}
