import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { writeEvents } from "./ingest.js";
import { listLogs } from "./logs.js";
import { getRun } from "./runs.js";
import { getTask } from "./tasks.js";

const P = "proj-json";

/** JSON strings that read like other JSON values: a store that parsed twice would turn them into those. */
const LOOKALIKES = ["0", "-1.5e3", "true", "false", "null", '{"a":1}', "[1,2]", '"quoted"', "", " 7 "];

for (const kind of await testStoreKinds()) {
  describe(`JSON values read back as written on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      const ts = new Date(Date.UTC(2030, 0, 3));
      let seq = 1;
      await writeEvents(t.store.db, P, [
        { id: "r", runId: "json", seq: seq++, type: "run.start", taskId: null, ts, payload: { name: "json", metadata: { s: "0" }, input: "true" } },
        ...LOOKALIKES.flatMap((value, i) => [
          { id: `s${i}`, runId: "json", seq: seq++, type: "task.start" as const, taskId: `t${i}`, ts, payload: { name: `t${i}`, input: value } },
          { id: `c${i}`, runId: "json", seq: seq++, type: "task.complete" as const, taskId: `t${i}`, ts, payload: { output: [value] } },
        ]),
        { id: "l", runId: "json", seq: seq++, type: "run.log", taskId: null, ts, payload: { level: "info", message: "m", attributes: { n: "42" } } },
      ]);
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    it("keeps strings that look like numbers, booleans, null, objects or arrays as strings", async () => {
      const found = await getRun(t.store.db, P, "json");
      expect.soft(found?.run).toMatchObject({ metadata: { s: "0" }, input: "true" });
      expect.soft(found?.tasks.map((task) => [task.input, task.output])).toEqual(LOOKALIKES.map((value) => [value, [value]]));
      for (const [i, value] of LOOKALIKES.entries()) expect.soft((await getTask(t.store.db, P, "json", `t${i}`))?.input).toBe(value);
      const logs = await listLogs(t.store.db, P, "json", {});
      expect(logs.data[0]?.attributes).toEqual({ n: "42" });
    });
  });
}
