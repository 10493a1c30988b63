import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { writeEvents } from "./ingest.js";
import { createMcpTask, getMcpTask, getRunStatuses, listMcpTasks, purgeMcpTasks, settleMcpTask } from "./mcp-tasks.js";

const P = "proj-mcp";
const task = (id: string, over: Partial<Parameters<typeof createMcpTask>[1]> = {}) => ({
  id,
  keyId: "key-a",
  projectId: P,
  tool: "wait_for_run",
  runId: "r1",
  waitMs: 60_000,
  ttlMs: 3_600_000,
  pollIntervalMs: 1000,
  ...over,
});

for (const kind of await testStoreKinds()) {
  describe(`MCP tasks on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    }, 120_000);
    afterAll(async () => {
      await t.cleanup();
    });

    it("belong to their key, end once, and page newest first", async () => {
      const db = t.store.db;
      const made = await createMcpTask(db, task("00000000-0000-4000-8000-000000000001"));
      expect(made).toMatchObject({ status: "working", waitOver: false, ttlMs: 3_600_000 });
      expect(await getMcpTask(db, "key-b", made.id)).toBeNull();
      expect(await settleMcpTask(db, "key-b", made.id, { status: "cancelled" })).toBeNull();
      expect(await settleMcpTask(db, "key-a", made.id, { status: "completed", statusMessage: "run_ended" })).toMatchObject({ status: "completed" });
      // Terminal is final: a late cancel changes nothing.
      expect(await settleMcpTask(db, "key-a", made.id, { status: "cancelled", statusMessage: "late" })).toMatchObject({ status: "completed", statusMessage: "run_ended" });

      for (let i = 2; i <= 5; i++) await createMcpTask(db, task(`00000000-0000-4000-8000-00000000000${i}`));
      const first = await listMcpTasks(db, "key-a", { limit: 3 });
      const last = first[first.length - 1];
      const rest = await listMcpTasks(db, "key-a", { limit: 3, after: last ? { createdAt: last.createdAt, id: last.id } : undefined });
      const ids = [...first, ...rest].map((r) => r.id);
      expect(new Set(ids).size).toBe(5);
      expect(await listMcpTasks(db, "key-b", { limit: 10 })).toEqual([]);
    });

    it("tells a wait that is over, forgets expired tasks and purges them", async () => {
      const db = t.store.db;
      const quick = await createMcpTask(db, task("00000000-0000-4000-8000-0000000000a1", { waitMs: 0 }));
      expect((await getMcpTask(db, "key-a", quick.id))?.waitOver).toBe(true);
      const gone = await createMcpTask(db, task("00000000-0000-4000-8000-0000000000a2", { ttlMs: 1 }));
      await new Promise((r) => setTimeout(r, 20));
      expect(await getMcpTask(db, "key-a", gone.id)).toBeNull();
      expect(await purgeMcpTasks(db)).toBeGreaterThanOrEqual(1);
    });

    it("reads the statuses of a project's runs", async () => {
      const ts = new Date();
      await writeEvents(t.store.db, P, [{ id: "e", runId: "r1", seq: 1, type: "run.start", taskId: null, ts, payload: { name: "x" } }]);
      expect(await getRunStatuses(t.store.db, P, ["r1", "nope", "r1"])).toEqual(new Map([["r1", "running"]]));
      expect(await getRunStatuses(t.store.db, "other", ["r1"])).toEqual(new Map());
    });
  });
}
