import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds } from "../testing/stores.js";
import { suiteStore } from "../testing/suite-store.js";
import { getRunChanges } from "./changes.js";
import { endRun, serverSeq, sweepTimedOutRuns } from "./control.js";
import { type IngestEvent, writeEvents } from "./ingest.js";
import { listLogs } from "./logs.js";
import { getRun, listRuns } from "./runs.js";

const P = "proj-c";
const T0 = Date.now();

/** Events with seq on the SDK's clock (ms × 1000), so server-made events interleave by time. */
function ev(runId: string, n: number, type: string, taskId: string | null, payload: Record<string, unknown> = {}, ms = n): IngestEvent {
  return { id: `${runId}-${type}-${taskId ?? "run"}-${n}`, runId, seq: (T0 + ms) * 1000 + n, type, taskId, ts: new Date(T0 + ms), payload };
}

for (const kind of await testStoreKinds()) {
  describe(`run control on ${kind.name}`, () => {
    const t = suiteStore(kind);
    const db = () => t.store.db;
    const rows = <T>(query: ReturnType<typeof sql>) => selectRows<T>(db(), query);

    it("task.update, logs and usage are projected and summed per run", async () => {
      const r = "r-rich";
      await writeEvents(db(), P, [
        ev(r, 0, "run.start", null, { name: "agent", heartbeatTimeoutMs: 30_000 }),
        ev(r, 1, "task.start", "a", { name: "llm" }),
        ev(r, 2, "task.update", "a", { statusMessage: "streaming", progress: 0.5 }),
        ev(r, 3, "task.log", "a", { message: "first token", level: "debug", attributes: { ms: 120 } }),
        ev(r, 4, "run.log", null, { message: "plan ready" }),
      ]);
      // the earlier update arrives after the later one: latest by seq still wins
      await writeEvents(db(), P, [
        ev(r, 6, "task.complete", "a", { usage: { inputTokens: 100, outputTokens: 40, costUsd: 0.002 } }),
        ev(r, 20, "task.update", "a", { statusMessage: "queued", progress: 0.1 }, 1),
        ev(r, 7, "task.start", "b", { name: "llm-2" }),
        ev(r, 8, "task.fail", "b", { errorMessage: "rate limited", usage: { inputTokens: 10, costUsd: 0.001 } }),
        ev(r, 9, "run.complete", null, { usage: { costUsd: 0.01 } }),
      ]);
      const got = await getRun(db(), P, r);
      expect(got?.run.usage).toEqual({ inputTokens: 110, outputTokens: 40, costUsd: 0.013 });
      expect(got?.run.logCount).toBe(2);
      expect(got?.run.heartbeatTimeoutMs).toBe(30_000);
      expect(got?.run.lastSeq).toBe((T0 + 9) * 1000 + 9);
      const a = got?.tasks.find((x) => x.id === "a");
      expect(a).toMatchObject({ status: "completed", statusMessage: "streaming", progress: 0.5, usage: { inputTokens: 100, outputTokens: 40, costUsd: 0.002 } });
      expect(got?.tasks.find((x) => x.id === "b")?.usage).toEqual({ inputTokens: 10, outputTokens: 0, costUsd: 0.001 });

      const logs = await listLogs(db(), P, r, { limit: 1 });
      expect(logs.data).toEqual([
        expect.objectContaining({ taskId: "a", level: "debug", message: "first token", attributes: { ms: 120 } }),
      ]);
      const rest = await listLogs(db(), P, r, { cursor: logs.nextCursor ?? "" });
      expect(rest).toEqual({ data: [expect.objectContaining({ taskId: null, level: "info", message: "plan ready" })], nextCursor: null });
      expect((await listLogs(db(), P, r, { taskId: "a" })).data).toHaveLength(1);
    });

    it("heartbeats are not stored but keep the run seen", async () => {
      const r = "r-hb";
      await writeEvents(db(), P, [ev(r, 0, "run.start", null, { name: "x" })]);
      await db().execute(sql`update runs set last_seen_at = now() - interval '1 hour' where id = ${r}`);
      const before = await getRun(db(), P, r);
      const res = await writeEvents(db(), P, [ev(r, 5, "run.heartbeat", null), ev(r, 6, "run.heartbeat", null)]);
      expect(res.statuses).toEqual(["accepted", "accepted"]);
      const [row] = await rows<{ n: number; seen: boolean }>(
        sql`select (select count(*)::int from events where run_id = ${r}) as n, (select last_seen_at > now() - interval '1 minute' from runs where id = ${r}) as seen`,
      );
      expect(row).toEqual({ n: 1, seen: true });
      // a heartbeat changes nothing a viewer sees: no new version
      expect((await getRun(db(), P, r))?.run.version).toBe(before?.run.version);
    });

    it("cancel ends the run and its running tasks; the process learns it from its next batch", async () => {
      const r = "r-cancel";
      await writeEvents(db(), P, [
        ev(r, 0, "run.start", null, { name: "long" }),
        ev(r, 1, "task.start", "done", { name: "fast" }),
        ev(r, 2, "task.complete", "done"),
        ev(r, 3, "task.start", "busy", { name: "slow" }),
        ev(r, 4, "task.start", "late", { name: "finishes-before-cancel" }),
      ]);
      const res = await endRun(db(), P, r, { kind: "cancel", reason: "user pressed stop" });
      expect(res.ok && res.run).toMatchObject({ status: "cancelled", errorMessage: "user pressed stop", taskCounts: { running: 0, cancelled: 2, completed: 1 } });
      expect(await endRun(db(), P, r, { kind: "cancel" })).toEqual({ ok: false, reason: "already_finished", status: "cancelled" });
      expect(await endRun(db(), P, "nope", { kind: "cancel" })).toEqual({ ok: false, reason: "not_found" });

      // recorded before the cancel (lower seq) but delivered after: it wins for that task
      const early = await writeEvents(db(), P, [ev(r, 5, "task.complete", "late"), ev(r, 60_000, "task.complete", "busy")]);
      expect(early.statuses).toEqual(["accepted", "conflict"]);
      expect(early.cancelledRuns).toEqual([{ runId: r, reason: "user pressed stop" }]);
      const got = await getRun(db(), P, r);
      expect(got?.tasks.map((x) => [x.id, x.status, x.statusMessage])).toEqual([
        ["done", "completed", null],
        ["busy", "cancelled", "the run was cancelled: user pressed stop"],
        ["late", "completed", null],
      ]);
      expect(got?.run.taskCounts).toMatchObject({ running: 0, cancelled: 1, completed: 2 });
      // a later run.complete from the process loses to the cancel
      expect((await writeEvents(db(), P, [ev(r, 70_000, "run.complete", null)])).statuses).toEqual(["conflict"]);
      expect((await listRuns(db(), P, { status: "cancelled" })).data.map((x) => x.id)).toContain(r);
    });

    it("tasks whose events arrive after a cancel end with the run, unless they ended before it", async () => {
      const r = "r-late";
      await writeEvents(db(), P, [ev(r, 0, "run.start", null, { name: "late" })]);
      const res = await endRun(db(), P, r, { kind: "cancel", reason: "stop" });
      expect(res.ok).toBe(true);
      await writeEvents(db(), P, [
        // recorded before the cancel, delivered after: was running at the cancel
        ev(r, 1, "task.start", "before", { name: "was-running" }),
        // recorded before the cancel and finished before it too
        ev(r, 2, "task.start", "done", { name: "finished-in-time" }),
        ev(r, 3, "task.complete", "done"),
        // recorded after the cancel (the process had not heard yet)
        ev(r, 60_000, "task.start", "after", { name: "started-too-late" }),
      ]);
      const got = await getRun(db(), P, r);
      expect(got?.tasks.map((x) => [x.id, x.status, x.statusMessage])).toEqual([
        ["before", "cancelled", "the run was cancelled: stop"],
        ["done", "completed", null],
        ["after", "cancelled", "the run was cancelled: stop"],
      ]);
      expect(got?.run.taskCounts).toMatchObject({ total: 3, running: 0, cancelled: 2, completed: 1 });
      // the late task's own end, recorded after the cancel, loses to it
      expect((await writeEvents(db(), P, [ev(r, 60_001, "task.complete", "after")])).statuses).toEqual(["conflict"]);
    });

    it("the latest of many updates wins, whatever the arrival order", async () => {
      const r = "r-updates";
      await writeEvents(db(), P, [ev(r, 0, "run.start", null, { name: "u" }), ev(r, 1, "task.start", "t", { name: "busy" })]);
      for (let b = 0; b < 5; b++) {
        const batch = Array.from({ length: 20 }, (_, i) => ev(r, 10 + b * 20 + i, "task.update", "t", { progress: (b * 20 + i) / 100 }));
        await writeEvents(db(), P, b === 2 ? batch.reverse() : batch);
      }
      await writeEvents(db(), P, [ev(r, 5, "task.update", "t", { statusMessage: "old", progress: 0.01 })]);
      const task = (await getRun(db(), P, r))?.tasks[0];
      expect(task?.progress).toBe(0.99);
    });

    it("the sweeper times out silent runs only, counting silence from its own start", async () => {
      await writeEvents(db(), P, [
        ev("r-silent", 0, "run.start", null, { name: "crashed", heartbeatTimeoutMs: 1000 }),
        ev("r-silent", 1, "task.start", "t", { name: "stuck" }),
        ev("r-alive", 0, "run.start", null, { name: "alive", heartbeatTimeoutMs: 60_000 }),
        ev("r-default", 0, "run.start", null, { name: "no-timeout-declared" }),
      ]);
      await db().execute(sql`update runs set last_seen_at = now() - interval '5 seconds' where id in ('r-silent', 'r-default')`);
      const past = new Date(Date.now() - 60_000);
      // Other tests' running runs share this database: look only at this test's runs.
      const mine = (swept: { runId: string }[]) => swept.map((x) => x.runId).filter((id) => ["r-silent", "r-alive", "r-default"].includes(id));
      // a server that just started gives everyone a full timeout first
      expect(mine(await sweepTimedOutRuns(db(), { defaultTimeoutMs: 600_000, notBefore: new Date() }))).toEqual([]);
      expect(mine(await sweepTimedOutRuns(db(), { defaultTimeoutMs: 600_000, notBefore: past }))).toEqual(["r-silent"]);
      const got = await getRun(db(), P, "r-silent");
      expect(got?.run).toMatchObject({ status: "timed_out", errorMessage: expect.stringContaining("no events or heartbeats for 1 s") });
      expect(got?.tasks[0]).toMatchObject({ status: "cancelled", statusMessage: "the run timed out" });
      expect((await getRun(db(), P, "r-alive"))?.run.status).toBe("running");
      expect((await getRun(db(), P, "r-default"))?.run.status).toBe("running");
      expect(mine(await sweepTimedOutRuns(db(), { defaultTimeoutMs: 1000, notBefore: past }))).toEqual(["r-default"]);
    });

    it("changes since a version come in chunks and end at the run's version", async () => {
      const r = "r-changes";
      const batch1 = [ev(r, 0, "run.start", null, { name: "many" })];
      for (let i = 0; i < 25; i++) batch1.push(ev(r, 1 + i, "task.start", `t${String(i).padStart(2, "0")}`, { name: `step-${i}` }));
      await writeEvents(db(), P, batch1);
      const v1 = (await getRun(db(), P, r))?.run.version ?? -1;
      await writeEvents(db(), P, [ev(r, 100, "task.complete", "t03"), ev(r, 101, "task.complete", "t07")]);

      const all = await getRunChanges(db(), P, r, 0, 10);
      const sizes: number[] = [];
      const seen = new Map<string, string>();
      for await (const chunk of all?.chunks ?? []) {
        sizes.push(chunk.length);
        for (const task of chunk) seen.set(task.id, task.status);
      }
      expect(sizes).toEqual([10, 10, 5]);
      expect(seen.get("t03")).toBe("completed");

      const since = await getRunChanges(db(), P, r, v1, 10);
      const changed: string[] = [];
      for await (const chunk of since?.chunks ?? []) changed.push(...chunk.map((x) => x.id));
      expect(changed).toEqual(["t03", "t07"]);
      expect(since?.run.version).toBe(v1 + 1);
      expect(await getRunChanges(db(), P, "missing", 0)).toBeNull();
    });

    it("server-made seqs go after everything stored, on the SDK's clock", () => {
      expect(serverSeq(5, 1000)).toBe(1_000_000);
      expect(serverSeq(2_000_000, 1000)).toBe(2_000_001);
    });
  });
}
