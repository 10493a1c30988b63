import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBigRun } from "../testing/seed-big-run.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { listExportTasks, type ExportPosition, type ExportTask } from "./export.js";
import { writeEvents } from "./ingest.js";
import { getTask } from "./tasks.js";

const P = "proj-export";

for (const kind of await testStoreKinds()) {
  describe(`export pages on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await seedBigRun(t.store.db, P, { runId: "big", tasks: 250, groupSize: 50 });
      const ts = new Date(Date.UTC(2030, 0, 2, 0, 0, 0, 5));
      const end = new Date(ts.getTime() + 1234);
      // A task whose start never arrived (it sorts last), payloads that look like other JSON.
      await writeEvents(t.store.db, P, [
        { id: "o1", runId: "odd", seq: 1, type: "run.start", taskId: null, ts, payload: { name: "odd" } },
        { id: "o2", runId: "odd", seq: 2, type: "task.start", taskId: "a", ts, payload: { name: "a", input: "0" } },
        { id: "o3", runId: "odd", seq: 3, type: "task.complete", taskId: "a", ts: end, payload: { output: { s: 'x,"y"\n' }, usage: { inputTokens: 3, costUsd: 0.5 } } },
        { id: "o4", runId: "odd", seq: 5, type: "task.fail", taskId: "z-unstarted", ts: end, payload: { errorMessage: "boom", errorStack: "at z" } },
        { id: "o5", runId: "odd", seq: 4, type: "task.start", taskId: "b", ts, payload: { name: "b" } },
      ]);
    }, 300_000);
    afterAll(async () => {
      await t.cleanup();
    });

    async function all(runId: string, limit: number, project = P): Promise<ExportTask[]> {
      const out: ExportTask[] = [];
      let after: ExportPosition | null = null;
      for (let pages = 0; pages < 10_000; pages++) {
        const page = await listExportTasks(t.store.db, project, runId, { after, limit });
        out.push(...page.tasks);
        if (!page.next) return out;
        after = page.next;
      }
      throw new Error("no end");
    }

    it("pages through a run in timeline order, each task once, whatever the page size", async () => {
      const expected = Array.from({ length: 250 }, (_, i) => `task-${i}`);
      for (const limit of [1, 7, 50, 249, 250, 1000]) expect((await all("big", limit)).map((x) => x.id)).toEqual(expected);
      const odd = await all("odd", 1);
      expect(odd.map((x) => x.id)).toEqual(["a", "b", "z-unstarted"]);
    });

    it("answers every column, payloads as the stored JSON text", async () => {
      const [a, b, z] = await all("odd", 10);
      expect(a).toMatchObject({ name: "a", status: "completed", parentTaskId: null, inputTokens: 3, outputTokens: null, costUsd: 0.5, errorMessage: null, seq: 2 });
      // The JSON string "0", not the number 0: the text is the JSON of the value.
      expect(JSON.parse(a?.input ?? "null")).toBe("0");
      expect(JSON.parse(a?.output ?? "null")).toEqual({ s: 'x,"y"\n' });
      expect(a?.startMs).toBe(Date.UTC(2030, 0, 2, 0, 0, 0, 5));
      expect((a?.endMs ?? 0) - (a?.startMs ?? 0)).toBe(1234);
      const view = await getTask(t.store.db, P, "odd", "a");
      expect(a?.startMs).toBe(Date.parse(view?.startedAt ?? ""));
      expect(b).toMatchObject({ status: "running", input: null, output: null, endMs: null });
      expect(z).toMatchObject({ status: "failed", seq: null, startMs: null, errorMessage: "boom", errorStack: "at z" });
    });

    it("finds nothing in another project or run", async () => {
      expect(await all("big", 100, "other")).toEqual([]);
      expect(await all("nope", 100)).toEqual([]);
      await expect(listExportTasks(t.store.db, P, "big", { limit: 0 })).rejects.toThrow("limit");
    });
  });
}
