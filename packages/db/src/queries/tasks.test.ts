import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedBigRun } from "../testing/seed-big-run.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { writeEvents } from "./ingest.js";
import { getTask } from "./tasks.js";
import { listTimelineTasks } from "./timeline.js";
import { ERROR_MESSAGE_PREVIEW } from "./views.js";

const P = "proj-tasks";

for (const kind of await testStoreKinds()) {
  describe(`single task on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await seedBigRun(t.store.db, P, { runId: "big", tasks: 200 });
      const ts = new Date(Date.UTC(2030, 0, 2));
      await writeEvents(t.store.db, P, [
        { id: "f1", runId: "fail", seq: 1, type: "run.start", taskId: null, ts, payload: { name: "fail" } },
        { id: "f2", runId: "fail", seq: 2, type: "task.start", taskId: "x", ts, payload: { name: "x", input: { big: "y".repeat(5000) } } },
        { id: "f3", runId: "fail", seq: 3, type: "task.fail", taskId: "x", ts, payload: { errorMessage: "e".repeat(2000), errorStack: "at x" } },
      ]);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    it("keeps only the head of a long error message; the full task has all of it", async () => {
      const found = await listTimelineTasks(t.store.db, P, "fail", { limit: 10 });
      expect(found.tasks[0]?.errorMessage).toHaveLength(ERROR_MESSAGE_PREVIEW);
      const task = await getTask(t.store.db, P, "fail", "x");
      expect(task?.errorMessage).toHaveLength(2000);
      expect(task).toMatchObject({ errorStack: "at x", input: { big: "y".repeat(5000) } });
    });

    it("answers a task with its payloads, and null for another project, run or id", async () => {
      expect(await getTask(t.store.db, P, "big", "task-7")).toMatchObject({ input: { i: 7 }, output: { ok: 7 }, parentTaskId: "task-0" });
      expect(await getTask(t.store.db, "other", "big", "task-7")).toBeNull();
      expect(await getTask(t.store.db, P, "fail", "task-7")).toBeNull();
      expect(await getTask(t.store.db, P, "big", "nope")).toBeNull();
    });
  });
}
