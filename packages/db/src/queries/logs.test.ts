import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { listLogs } from "./logs.js";

const P = "proj-logs";
const ts = new Date(Date.UTC(2030, 0, 1));

/** A run with two of its own log lines and three of task "a"'s, interleaved. */
const EVENTS: IngestEvent[] = [
  { id: "e1", runId: "r", seq: 1, type: "run.start", taskId: null, ts, payload: { name: "logs" } },
  { id: "e2", runId: "r", seq: 2, type: "task.start", taskId: "a", ts, payload: { name: "a" } },
  { id: "e3", runId: "r", seq: 3, type: "run.log", taskId: null, ts, payload: { message: "run 1", level: "info" } },
  { id: "e4", runId: "r", seq: 4, type: "task.log", taskId: "a", ts, payload: { message: "a 1", level: "warn", attributes: { n: 1 } } },
  { id: "e5", runId: "r", seq: 5, type: "task.log", taskId: "a", ts, payload: { message: "a 2" } },
  { id: "e6", runId: "r", seq: 6, type: "run.log", taskId: null, ts, payload: { message: "run 2", level: "error" } },
  { id: "e7", runId: "r", seq: 7, type: "task.log", taskId: "a", ts, payload: { message: "a 3", level: "nonsense" } },
];

for (const kind of await testStoreKinds()) {
  describe(`log lines on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      await writeEvents(t.store.db, P, EVENTS);
    });
    afterAll(async () => {
      await t.cleanup();
    });
    const messages = async (filter: Parameters<typeof listLogs>[3]) => (await listLogs(t.store.db, P, "r", filter)).data.map((l) => l.message);

    it("lists all of a run's lines, one task's, or only the run's own (taskId null)", async () => {
      expect(await messages({})).toEqual(["run 1", "a 1", "a 2", "run 2", "a 3"]);
      expect(await messages({ taskId: "a" })).toEqual(["a 1", "a 2", "a 3"]);
      expect(await messages({ taskId: null })).toEqual(["run 1", "run 2"]);
    });

    it("pages one task's lines with the cursor, levels and attributes kept", async () => {
      const first = await listLogs(t.store.db, P, "r", { taskId: "a", limit: 2 });
      expect(first.data.map((l) => [l.message, l.level, l.attributes])).toEqual([
        ["a 1", "warn", { n: 1 }],
        ["a 2", "info", null],
      ]);
      const rest = await listLogs(t.store.db, P, "r", { taskId: "a", limit: 2, cursor: first.nextCursor ?? "" });
      expect(rest.data.map((l) => [l.message, l.level])).toEqual([["a 3", "info"]]);
      expect(rest.nextCursor).toBeNull();
    });
  });
}
