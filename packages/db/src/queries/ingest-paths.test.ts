import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds, type TestStore } from "../testing/stores.js";
import { endRun } from "./control.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { getRun } from "./runs.js";

/**
 * The two ways a task is projected: from the batch alone when it has no row yet, and
 * from its stored events (starts, terminals, latest update) when it has one. Every case
 * is compared with the same events stored in one batch (the first way) and one event a
 * batch in seq order and in reverse (the second way, from both ends).
 */

const P = "proj-paths";
const T0 = Date.parse("2026-05-01T00:00:00.000Z");

function ev(runId: string, seq: number, type: string, taskId: string | null, payload: Record<string, unknown> = {}, id = `${type}-${taskId ?? "run"}-${seq}`): IngestEvent {
  return { id: `${runId}/${id}`, runId, seq, type, taskId, ts: new Date(T0 + (seq % 1e9)), payload };
}

/** A run with every kind of task history: updates (two sharing a seq), a late start, two terminals, two starts, a log. */
function history(r: string): IngestEvent[] {
  return [
    ev(r, 1, "run.start", null, { name: "paths", input: { n: 1 } }),
    ev(r, 2, "task.start", "a", { name: "fetch", input: { url: "x" } }),
    ev(r, 3, "task.update", "a", { statusMessage: "half", progress: 0.5 }),
    ev(r, 4, "task.update", "a", { statusMessage: "tie-1", progress: 0.7 }, "u-tie-1"),
    ev(r, 4, "task.update", "a", { statusMessage: "tie-2", progress: 0.8 }, "u-tie-2"),
    ev(r, 5, "task.complete", "a", { output: { ok: true }, usage: { inputTokens: 10, outputTokens: 4, costUsd: 0.5 } }),
    ev(r, 6, "task.fail", "a", { errorMessage: "late and lost" }),
    ev(r, 7, "task.complete", "b", { output: 1 }),
    ev(r, 8, "task.start", "b", { name: "late start" }),
    ev(r, 9, "task.start", "c", { name: "first" }),
    ev(r, 10, "task.start", "c", { name: "second" }),
    ev(r, 11, "task.log", "c", { message: "hello" }),
    ev(r, 12, "task.skip", "c", { reason: "cached" }),
    ev(r, 13, "task.update", "c", { statusMessage: "after the end" }),
    ev(r, 14, "run.complete", null, { output: 2 }),
  ];
}

/** The stored run with everything that depends on how the events were split (version, ids) normalised. */
async function snapshot(t: TestStore, runId: string) {
  const got = await getRun(t.store.db, P, runId);
  if (!got) throw new Error(`run ${runId} not stored`);
  return JSON.parse(JSON.stringify(got).replaceAll(`${runId}/`, "").replaceAll(runId, "R"), (k, v) => (k === "version" ? undefined : v));
}

for (const kind of await testStoreKinds()) {
  describe(`ingest paths on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(async () => {
      await t.cleanup();
    });
    const write = (batch: IngestEvent[]) => writeEvents(t.store.db, P, batch);

    it("one batch, one event a batch in seq order and in reverse store the same run and report the same conflicts", async () => {
      const one = await write(history("one"));
      const lost = (statuses: string[], events: IngestEvent[]) => events.filter((_, i) => statuses[i] === "conflict").map((e) => e.id.slice(e.id.indexOf("/") + 1));
      expect(lost(one.statuses, history("one"))).toEqual(["task.fail-a-6", "task.start-c-10"]);

      const inOrder: string[] = [];
      for (const e of history("asc")) inOrder.push(...lost((await write([e])).statuses, [e]));
      expect(inOrder).toEqual(["task.fail-a-6", "task.start-c-10"]);
      // In reverse the later event is stored first and loses only when the earlier one arrives: nothing is reported then.
      for (const e of history("desc").reverse()) await write([e]);

      const want = await snapshot(t, "one");
      expect(want.run).toMatchObject({ status: "completed", taskCounts: { total: 3, completed: 2, skipped: 1 }, usage: { inputTokens: 10, outputTokens: 4, costUsd: 0.5 } });
      const byId = Object.fromEntries(want.tasks.map((x: { id: string }) => [x.id, x]));
      expect(byId.a).toMatchObject({ status: "completed", input: { url: "x" }, output: { ok: true }, statusMessage: "tie-2", progress: 0.8 });
      expect(byId.b).toMatchObject({ name: "late start", status: "completed", output: 1 });
      expect(byId.c).toMatchObject({ name: "first", status: "skipped", statusMessage: "cached" });
      expect(await snapshot(t, "asc")).toEqual(want);
      expect(await snapshot(t, "desc")).toEqual(want);
    });

    it("a task's start in one batch and its end in the next, and the other way round", async () => {
      const r = "split";
      await write([ev(r, 1, "run.start", null, { name: "s" }), ev(r, 2, "task.start", "a", { name: "a", input: [1] }), ev(r, 3, "task.complete", "b", { output: "b" })]);
      let run = await getRun(t.store.db, P, r);
      expect(run?.run.taskCounts).toMatchObject({ total: 2, running: 1, completed: 1 });
      expect((await write([ev(r, 4, "task.complete", "a", { output: [2], usage: { inputTokens: 3 } }), ev(r, 1, "task.start", "b", { name: "b" }, "b-start")])).statuses).toEqual([
        "accepted",
        "accepted",
      ]);
      run = await getRun(t.store.db, P, r);
      expect(run?.run.taskCounts).toMatchObject({ total: 2, running: 0, completed: 2 });
      expect(run?.run.usage).toMatchObject({ inputTokens: 3 });
      expect(run?.tasks.map((x) => [x.id, x.name, x.input, x.output])).toEqual([
        ["b", "b", null, "b"],
        ["a", "a", [1], [2]],
      ]);
    });

    it("duplicates inside a batch and retries mixed with new events are stored once", async () => {
      const r = "dups";
      const start = ev(r, 2, "task.start", "a", { name: "a" });
      const first = await write([ev(r, 1, "run.start", null, { name: "d" }), start, start]);
      expect(first.statuses).toEqual(["accepted", "accepted", "duplicate"]);
      // a retry of the start beside the task's end: the start is a duplicate, the task completes
      const again = await write([start, ev(r, 3, "task.complete", "a"), ev(r, 3, "task.complete", "a")]);
      expect(again.statuses).toEqual(["duplicate", "accepted", "duplicate"]);
      const [row] = await selectRows<{ n: number }>(t.store.db, sql`select count(*)::int as n from events where project_id = ${P} and run_id = ${r}`);
      expect(row?.n).toBe(3);
      expect((await getRun(t.store.db, P, r))?.run.taskCounts).toMatchObject({ total: 1, completed: 1, running: 0 });
    });

    it("a run the server cancelled ends tasks that reach it later, unless they ended before the cancel", async () => {
      const r = "cancelled";
      await write([ev(r, 1, "run.start", null, { name: "c" }), ev(r, 2, "task.start", "a", { name: "a" })]);
      const cancelled = await endRun(t.store.db, P, r, { kind: "cancel", reason: "stop" });
      expect(cancelled.ok).toBe(true);
      const late = await write([
        ev(r, 3, "task.complete", "a"), // recorded before the cancel (lower seq): it wins over the cancel
        ev(r, Number.MAX_SAFE_INTEGER - 1, "task.start", "b", { name: "b" }), // a task first seen after the cancel
        ev(r, Number.MAX_SAFE_INTEGER, "task.complete", "b"),
      ]);
      expect(late.statuses).toEqual(["accepted", "accepted", "conflict"]);
      expect(late.cancelledRuns).toEqual([{ runId: r, reason: "stop" }]);
      const got = await getRun(t.store.db, P, r);
      expect(got?.tasks.map((x) => [x.id, x.status])).toEqual([
        ["a", "completed"],
        ["b", "cancelled"],
      ]);
      expect(got?.tasks.find((x) => x.id === "b")?.statusMessage).toBe("the run was cancelled: stop");
      expect(got?.run.taskCounts).toMatchObject({ total: 2, completed: 1, cancelled: 1, running: 0 });
      // a batch of duplicates and one of heartbeats still learn of the cancel
      expect((await write([ev(r, 3, "task.complete", "a")])).cancelledRuns).toEqual([{ runId: r, reason: "stop" }]);
      expect((await write([ev(r, 99, "run.heartbeat", null)])).cancelledRuns).toEqual([{ runId: r, reason: "stop" }]);
    });

    it("an earlier terminal that arrives later moves the run's counters and sums back", async () => {
      const r = "resum";
      await write([ev(r, 1, "run.start", null, { name: "u" }), ev(r, 2, "task.start", "a", { name: "a" }), ev(r, 9, "task.fail", "a", { errorMessage: "x", usage: { inputTokens: 50, costUsd: 1 } })]);
      expect((await getRun(t.store.db, P, r))?.run).toMatchObject({ usage: { inputTokens: 50, costUsd: 1 }, taskCounts: { failed: 1 } });
      await write([ev(r, 5, "task.complete", "a", { usage: { inputTokens: 20, outputTokens: 2 } })]);
      expect((await getRun(t.store.db, P, r))?.run).toMatchObject({
        usage: { inputTokens: 20, outputTokens: 2, costUsd: 0 },
        taskCounts: { total: 1, failed: 0, completed: 1 },
      });
    });

    it.runIf(kind.name === "postgres")("reads tasks and events through their indexes", async () => {
      // Enough rows that a scan would cost more than the lookups.
      for (let b = 0; b < 8; b++) {
        const batch = [ev("bulk", 0, "run.start", null, { name: "bulk" })];
        for (let i = 0; i < 250; i++) batch.push(ev("bulk", 1 + b * 500 + 2 * i, "task.start", `t${b}-${i}`, { name: "x" }), ev("bulk", 2 + b * 500 + 2 * i, "task.complete", `t${b}-${i}`));
        await write(batch);
      }
      await t.store.db.execute(sql`analyze events, tasks`);
      const plan = async (query: ReturnType<typeof sql>) =>
        (await selectRows<Record<string, string>>(t.store.db, sql`explain ${query}`)).map((row) => Object.values(row)[0]).join("\n");
      const runs = "{bulk,split}";
      const ids = "{t1-1,t3-9,a}";
      const tasks = await plan(sql`select run_id, id, status from tasks where project_id = ${P} and run_id = any(${runs}::text[]) and id = any(${ids}::text[])`);
      expect(tasks).toMatch(/Index (Only )?Scan using tasks_project_id_run_id_id_pk/);
      const deciders = await plan(
        sql`select id from events where project_id = ${P} and run_id = any(${runs}::text[]) and task_id = any(${ids}::text[]) and type in ('task.start', 'task.complete')`,
      );
      expect(deciders).toMatch(/Index Scan using events_task_idx/);
      const runEvents = await plan(sql`select id from events where project_id = ${P} and run_id = any(${runs}::text[]) and task_id is null and type <> 'run.log'`);
      expect(runEvents).toMatch(/Index Scan using events_task_idx/);
      for (const text of [tasks, deciders, runEvents]) expect(text).not.toMatch(/Seq Scan/);
    });
  });
}
