import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { LOG_MARKER_CAP, LOG_MARKER_MESSAGE, listLogMarkers } from "./log-markers.js";

const P = "proj-markers";
const T0 = Date.UTC(2030, 0, 1);

/** The n-th event of a run: seq n × 10, at T0 + n × 10 ms. */
function ev(runId: string, n: number, type: string, taskId: string | null, payload: Record<string, unknown> = {}): IngestEvent {
  return { id: `${runId}-${n}`, runId, seq: n * 10, type, taskId, ts: new Date(T0 + n * 10), payload };
}

for (const kind of await testStoreKinds()) {
  describe(`log markers on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
      const r = "run-logs";
      await writeEvents(t.store.db, P, [
        ev(r, 1, "run.start", null, { name: "logs" }),
        ev(r, 2, "task.start", "a", { name: "llm", input: { prompt: "hi" } }),
        ev(r, 3, "task.log", "a", { message: "first token", level: "debug", attributes: { big: "x".repeat(10_000) } }),
        ev(r, 4, "task.update", "a", { statusMessage: "streaming", progress: 0.5 }),
        ev(r, 5, "task.log", "a", { message: "rate limited", level: "warn" }),
        ev(r, 6, "run.log", null, { message: "plan ready" }),
        ev(r, 7, "task.log", "a", { message: "m".repeat(1000), level: "error" }),
        ev(r, 8, "task.log", "a", { message: "odd level", level: "shout" }),
        ev(r, 9, "task.fail", "a", { errorMessage: "boom" }),
      ]);
      // Delivered late: still in seq order among the others.
      await writeEvents(t.store.db, P, [ev(r, 3.5, "run.log", null, { message: "late but early" })]);
      await writeEvents(t.store.db, P, [ev("other-run", 1, "run.start", null, { name: "o" }), ev("other-run", 2, "run.log", null, { message: "not mine" })]);
      await writeEvents(t.store.db, "another-project", [ev("run-logs", 1, "run.start", null, { name: "x" }), ev("run-logs", 2, "run.log", null, { message: "theirs" })]);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it("lists a run's log lines, task and run level, in seq order, in compact form", async () => {
      const { markers, truncated } = await listLogMarkers(t.store.db, P, "run-logs");
      expect(truncated).toBe(false);
      expect(markers.map((m) => [m.taskId, m.level, m.message.slice(0, 20)])).toEqual([
        ["a", "debug", "first token"],
        [null, "info", "late but early"],
        ["a", "warn", "rate limited"],
        [null, "info", "plan ready"],
        ["a", "error", "m".repeat(20)],
        ["a", "info", "odd level"],
      ]);
      expect(markers[0]).toEqual({ taskId: "a", at: T0 + 30, level: "debug", message: "first token" });
      // Only the head of a long message, and nothing of the attributes.
      expect(markers[4]?.message).toHaveLength(LOG_MARKER_MESSAGE);
      expect(Object.keys(markers[0] ?? {}).sort()).toEqual(["at", "level", "message", "taskId"]);
    });

    it("caps the list and says so", async () => {
      const first = await listLogMarkers(t.store.db, P, "run-logs", 2);
      expect(first.markers.map((m) => m.message)).toEqual(["first token", "late but early"]);
      expect(first.truncated).toBe(true);
      expect((await listLogMarkers(t.store.db, P, "run-logs", 6)).truncated).toBe(false);
      expect((await listLogMarkers(t.store.db, P, "run-logs", 0)).markers).toHaveLength(1);
    });

    it("keeps to its project and run", async () => {
      expect((await listLogMarkers(t.store.db, P, "other-run")).markers.map((m) => m.message)).toEqual(["not mine"]);
      expect((await listLogMarkers(t.store.db, "another-project", "run-logs")).markers.map((m) => m.message)).toEqual(["theirs"]);
      expect(await listLogMarkers(t.store.db, P, "nope")).toEqual({ markers: [], truncated: false });
    });

    it("returns at most LOG_MARKER_CAP markers of a run with more logs", async () => {
      const r = "chatty";
      const logs = Array.from({ length: LOG_MARKER_CAP + 10 }, (_, i) => ev(r, i + 2, "task.log", "t", { message: `line ${i}` }));
      await writeEvents(t.store.db, P, [ev(r, 1, "task.start", "t", { name: "t" }), ...logs]);
      const { markers, truncated } = await listLogMarkers(t.store.db, P, r, 1_000_000);
      expect(markers).toHaveLength(LOG_MARKER_CAP);
      expect(truncated).toBe(true);
      expect(markers.at(-1)?.message).toBe(`line ${LOG_MARKER_CAP - 1}`);
    });

    it("reads the log index, not the run's other events", async () => {
      // Tiny tables favour a sequential scan; forbid it (in one transaction: one connection) to see the index is usable.
      const plan = await t.store.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        return selectRows<Record<string, string>>(
          tx,
          sql`explain select task_id, ts from events where project_id = ${P} and run_id = ${"run-logs"}
              and type in ('run.log', 'task.log') order by seq, id limit 11`,
        );
      });
      expect(plan.map((r) => Object.values(r)[0]).join("\n")).toContain("events_log_idx");
    });
  });
}
