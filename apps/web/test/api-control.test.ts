import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { emitter, uid, useServer } from "./harness";
import { openSse } from "./sse";

/** Over real HTTP: richer events, logs, cancel, timeouts, live streams. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const kind of await testStoreKinds()) {
  describe(`HTTP run control on ${kind.name}`, () => {
    const api = useServer(kind);

    it("stores updates, logs and usage; reads logs by page and a run without its tasks", async () => {
      const r = uid("rich");
      const ev = emitter(r);
      const parent = uid("parent");
      const res = await api.ingest([
        ev("run.start", 0, { name: "agent", parentRunId: parent, heartbeatTimeoutMs: 120_000, tags: ["child"] }),
        ev("task.start", 1, { taskId: "llm", name: "llm-call" }),
        ev("task.update", 2, { taskId: "llm", statusMessage: "waiting for the model", progress: 0.25 }),
        ev("task.log", 3, { taskId: "llm", message: "retrying after 429", level: "warn", attributes: { attempt: 2 } }),
        ev("run.log", 4, { message: "plan: 1 step" }),
        ev("run.heartbeat", 5),
        ev("task.complete", 6, { taskId: "llm", output: "ok", usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.0045 } }),
        ev("run.complete", 7, { usage: { costUsd: 0.001 } }),
      ]);
      expect(res.status).toBe(200);
      expect(res.body.accepted).toBe(8);

      const { run, tasks } = await api.getRun(r);
      expect(run).toMatchObject({ parentRunId: parent, heartbeatTimeoutMs: 120_000, logCount: 2, usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.0055 } });
      expect(tasks[0]).toMatchObject({ statusMessage: "waiting for the model", progress: 0.25, usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.0045 } });

      const only = await api.call(`/api/v1/runs/${r}?tasks=false`);
      expect(Object.keys(only.body)).toEqual(["run"]);
      expect((await api.call(`/api/v1/runs/${r}?tasks=maybe`)).body.error).toMatchObject({ field: "tasks" });

      const page1 = await api.call(`/api/v1/runs/${r}/logs?limit=1`);
      expect(page1.body.data).toEqual([expect.objectContaining({ taskId: "llm", level: "warn", message: "retrying after 429", attributes: { attempt: 2 } })]);
      const page2 = await api.call(`/api/v1/runs/${r}/logs?limit=1&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toEqual({ data: [expect.objectContaining({ taskId: null, message: "plan: 1 step", level: "info" })], nextCursor: null });
      expect((await api.call(`/api/v1/runs/${r}/logs?cursor=nonsense`)).status).toBe(400);
      expect((await api.call(`/api/v1/runs/${uid("nope")}/logs`)).status).toBe(404);

      const children = await api.call(`/api/v1/runs?parentRunId=${parent}`);
      expect(children.body.data.map((x: { id: string }) => x.id)).toEqual([r]);
    });

    it("rejects server-made types and bad usage per event, naming the field", async () => {
      const r = uid("bad");
      const ev = emitter(r);
      const res = await api.ingest([
        ev("run.start", 0, { name: "x", heartbeatTimeoutMs: 10 }),
        ev("run.cancel", 1),
        ev("task.complete", 2, { taskId: "t", usage: { inputTokens: -5 } }),
        ev("task.update", 3, { taskId: "t", progress: 1.5 }),
        ev("run.log", 4, { message: "fine" }),
      ]);
      expect(res.status).toBe(207);
      expect(res.body.results.map((x: { error?: string }) => x.error ?? "ok")).toEqual([
        "batch[0].heartbeatTimeoutMs: must be >= 1000",
        'batch[1].type: "run.cancel" is made by the server only (cancel with POST /api/v1/runs/:id/cancel)',
        "batch[2].usage.inputTokens: must be >= 0",
        "batch[3].progress: must be between 0 and 1",
        "ok",
      ]);

      // Wrong types say so (not "required"); dates Postgres cannot store are refused per event;
      // fractional token counts are rounded, not refused.
      const r3 = uid("types");
      const ev3 = emitter(r3);
      const typed = await api.ingest([
        ev3("run.start", 0, { name: "x" }),
        { ...ev3("run.log", 1, { message: "m" }), seq: "7" },
        { ...ev3("run.log", 2, { message: "m" }), ts: "0000-01-01T00:00:00Z" },
        ev3("task.start", 3, { taskId: "t", name: "n" }),
        ev3("task.complete", 4, { taskId: "t", usage: { inputTokens: 12.6 } }),
      ]);
      expect(typed.body.results.map((x: { error?: string }) => x.error ?? "ok")).toEqual([
        "ok",
        expect.stringMatching(/^batch\[1\]\.seq: .*expected number/),
        "batch[2].ts: must be between years 0001 and 9999",
        "ok",
        "ok",
      ]);
      expect((await api.getRun(r3)).tasks[0].usage).toEqual({ inputTokens: 13, outputTokens: 0, costUsd: 0 });

      // The SDK asks for errors only: a clean event costs nothing in the answer.
      const r2 = uid("errors-only");
      const ev2 = emitter(r2);
      const lean = await api.call("/api/v1/ingest?results=errors", {
        body: { batch: [ev2("run.start", 0, { name: "x" }), ev2("task.update", 1, {}), ev2("run.log", 2, { message: "fine" })] },
      });
      expect(lean.status).toBe(207);
      expect(lean.body).toMatchObject({ accepted: 2, rejected: 1, results: [{ index: 1, status: "rejected", error: "batch[1].taskId: required" }] });
      const clean = await api.call("/api/v1/ingest?results=errors", { body: { batch: [ev2("run.log", 3, { message: "more" })] } });
      expect(clean.body).toEqual({ results: [], accepted: 1, duplicates: 0, conflicts: 0, rejected: 0, cancelledRuns: [] });
      expect((await api.call("/api/v1/ingest?results=some", { body: { batch: [] } })).body.error.field).toBe("results");
    });

    it("cancel: 200 with the run, then 409; 404 and 400 name what was wrong; the process hears of it on its next batch", async () => {
      const r = uid("cancel");
      const ev = emitter(r);
      await api.ingest([ev("run.start", 0, { name: "long" }), ev("task.start", 1, { taskId: "a", name: "slow" })]);

      const bad = await api.call(`/api/v1/runs/${r}/cancel`, { body: { reason: 42 } });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toMatchObject({ code: "invalid_params", field: "reason", message: "reason: must be a string" });
      expect((await api.call(`/api/v1/runs/${r}/cancel`, { raw: "{nope" })).body.error.field).toBe("body");

      const ok = await api.call(`/api/v1/runs/${r}/cancel`, { body: { reason: "user pressed stop" } });
      expect(ok.status).toBe(200);
      expect(ok.body.run).toMatchObject({ id: r, status: "cancelled", errorMessage: "user pressed stop", taskCounts: { cancelled: 1, running: 0 } });

      const again = await api.call(`/api/v1/runs/${r}/cancel`, { method: "POST" });
      expect(again.status).toBe(409);
      expect(again.body.error).toMatchObject({ code: "already_finished", status: "cancelled" });
      const missing = await api.call(`/api/v1/runs/${uid("ghost")}/cancel`, { method: "POST" });
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe("not_found");

      const next = await api.ingest([ev("run.heartbeat", 2)]);
      expect(next.body.cancelledRuns).toEqual([{ runId: r, reason: "user pressed stop" }]);
      // recorded after the cancel (a later seq on the SDK's clock): not applied
      const after = { ...ev("run.complete", 3), seq: (Date.now() + 60_000) * 1000 };
      expect((await api.ingest([after])).body.results[0].status).toBe("conflict");
      // recorded before the cancel (a lower seq) but delivered late: it still counts for its task
      expect((await api.ingest([ev("task.complete", 4, { taskId: "a" })])).body.results[0].status).toBe("accepted");
      const { run, tasks } = await api.getRun(r);
      expect(run.status).toBe("cancelled");
      expect(tasks[0].status).toBe("completed");
    });

    it("a run whose process goes silent past its heartbeat timeout becomes timed_out", async () => {
      const r = uid("silent");
      const ev = emitter(r);
      await api.ingest([ev("run.start", 0, { name: "crashes", heartbeatTimeoutMs: 1000 }), ev("task.start", 1, { taskId: "t", name: "stuck" })]);
      const alive = uid("alive");
      const ev2 = emitter(alive);
      await api.ingest([ev2("run.start", 0, { name: "beats", heartbeatTimeoutMs: 1000 })]);
      for (let i = 1; i <= 6; i++) {
        await sleep(300);
        await api.ingest([ev2("run.heartbeat", i)]);
      }
      const dead = await api.getRun(r);
      expect(dead.run).toMatchObject({ status: "timed_out", errorMessage: expect.stringContaining("no events or heartbeats for 1 s") });
      expect(dead.tasks[0]).toMatchObject({ status: "cancelled", statusMessage: "the run timed out" });
      expect((await api.getRun(alive)).run.status).toBe("running");
    });

    it("streams a running run's changes live, resumes from Last-Event-ID and ends with the run", async () => {
      const r = uid("live");
      const ev = emitter(r);
      await api.ingest([ev("run.start", 0, { name: "live" }), ev("task.start", 1, { taskId: "a", name: "first" })]);
      const auth = { authorization: `Bearer ${api.apiKey}` };
      const sse = await openSse(`${api.url}/api/v1/runs/${r}/stream`, auth);
      expect(sse.status).toBe(200);
      const first = await sse.next();
      expect(first).toMatchObject({ event: "tasks", data: [expect.objectContaining({ id: "a", status: "running" })] });
      const hello = await sse.next();
      expect(hello).toMatchObject({ event: "run", data: { id: r, status: "running" } });

      const t0 = Date.now();
      await api.ingest([ev("task.start", 2, { taskId: "b", name: "second" })]);
      const change = await sse.next(3000);
      const arrivedMs = Date.now() - t0;
      expect(change).toMatchObject({ event: "tasks", data: [expect.objectContaining({ id: "b" })] });
      expect(change?.data).toHaveLength(1); // incremental: only what changed
      expect(arrivedMs).toBeLessThan(1000);
      const runMsg = await sse.next();
      expect(runMsg?.event).toBe("run");
      const resumeFrom = runMsg?.id ?? "";
      sse.close();

      await api.ingest([ev("task.complete", 3, { taskId: "a" }), ev("run.complete", 4)]);
      const resumed = await openSse(`${api.url}/api/v1/runs/${r}/stream`, { ...auth, "last-event-id": resumeFrom });
      const events: string[] = [];
      for (let m = await resumed.next(); m; m = await resumed.next()) {
        events.push(m.event === "tasks" ? `tasks:${m.data.map((t: { id: string }) => t.id).join(",")}` : `${m.event}:${m.data.status}`);
      }
      expect(events).toEqual(["tasks:a", "run:completed", "end:completed"]);

      expect((await openSse(`${api.url}/api/v1/runs/${uid("none")}/stream`, auth)).status).toBe(404);
      expect((await openSse(`${api.url}/api/v1/runs/${r}/stream?since=-1`, auth)).status).toBe(400);
    });
  });
}
