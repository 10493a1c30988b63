import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testStoreKinds } from "@runtrail/db/testing";
import { RunCancelledError, RunNotFoundError, RunAlreadyFinishedError, Runtrail, WaitTimeoutError } from "@runtrail/sdk";
import { describe, expect, it } from "vitest";
import { uid, useServer } from "./harness";

/** The SDK's read and control API against the real server: list, get, poll, wait, stream, cancel, resume, timeouts. */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SDK_ENTRY = fileURLToPath(import.meta.resolve("@runtrail/sdk"));

/** Runs a Node script in a child process with RUNTRAIL_URL / RUNTRAIL_API_KEY set; resolves with its exit and output. */
function child(script: string, env: Record<string, string>, killAfterMs?: number): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--input-type=module", "-e", script], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    p.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    if (killAfterMs !== undefined) setTimeout(() => p.kill("SIGKILL"), killAfterMs);
    p.on("exit", (code, signal) => resolve({ code, signal, out }));
  });
}

for (const kind of await testStoreKinds()) {
  describe(`SDK read and control API on ${kind.name}`, () => {
    const api = useServer(kind);
    const client = () =>
      new Runtrail({ baseUrl: api.url, apiKey: api.apiKey, flushIntervalMs: 50, heartbeatIntervalMs: 200, heartbeatTimeoutMs: 5_000 });

    it("lists pages, gets, polls and waits for a run recorded by another client", async () => {
      const writer = client();
      const reader = client();
      const tag = uid("tag");
      const run = await writer.startRun({ name: "sdk-read", tags: [tag], metadata: { owner: "tests" } });
      const first = await run.startTask("first", { n: 1 });
      await writer.flush();

      const waited = reader.runs.wait(run.id, { timeoutMs: 20_000 });
      const seen: string[] = [];
      const polling = (async () => {
        for await (const r of reader.runs.poll(run.id, { intervalMs: 100 })) seen.push(`${r.status}:${r.taskCounts.completed}`);
      })();
      await sleep(400);
      await first.complete({ output: { ok: true }, usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 } });
      await writer.flush();
      await sleep(400);
      await run.complete({ output: { done: true } });
      await writer.flush();

      const final = await waited;
      await polling;
      expect(final).toMatchObject({ id: run.id, status: "completed", usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 } });
      expect(seen[0]).toBe("running:0");
      expect(seen).toContain("running:1");
      expect(seen[seen.length - 1]).toBe("completed:1");

      const detail = await reader.runs.get(run.id);
      expect(detail.tasks.map((t) => [t.name, t.status])).toEqual([["first", "completed"]]);
      const ids: string[] = [];
      for await (const page of reader.runs.list({ tag, limit: 1 })) ids.push(...page.data.map((r) => r.id));
      expect(ids).toEqual([run.id]);

      await expect(reader.runs.get(uid("missing"))).rejects.toBeInstanceOf(RunNotFoundError);
      await expect(reader.runs.wait(run.id, { timeoutMs: 5_000 })).resolves.toMatchObject({ status: "completed" });
      const running = await writer.startRun({ name: "never-ends" });
      await writer.flush();
      await expect(reader.runs.wait(running.id, { timeoutMs: 600 })).rejects.toBeInstanceOf(WaitTimeoutError);
      await running.complete();
      await writer.shutdown();
      await reader.shutdown();
    });

    it("streams changes live and ends with the run", async () => {
      const writer = client();
      const reader = client();
      const run = await writer.startRun({ name: "sdk-stream" });
      await writer.flush();
      const events: string[] = [];
      const streaming = (async () => {
        for await (const e of reader.runs.stream(run.id)) {
          events.push(e.type === "tasks" ? `tasks:${e.tasks.map((t) => `${t.name}=${t.status}`).join(",")}` : `${e.type}:${e.run.status}`);
        }
      })();
      await sleep(300);
      const t = await run.startTask("live-step");
      await writer.flush();
      await sleep(300);
      await t.complete();
      await run.complete();
      await writer.flush();
      await streaming;
      expect(events[0]).toBe("run:running");
      expect(events).toContain("tasks:live-step=running");
      expect(events.slice(-3)).toEqual(["tasks:live-step=completed", "run:completed", "end:completed"]);
      await writer.shutdown();
      await reader.shutdown();
    });

    it("cancel reaches the recording process through run.signal; a second cancel is 409", async () => {
      const writer = client();
      const controller = client();
      const run = await writer.startRun({ name: "sdk-cancel" });
      const step = await run.startTask("long-llm-call");
      await writer.flush();
      const aborted = new Promise<unknown>((resolve) => run.signal.addEventListener("abort", () => resolve(run.signal.reason), { once: true }));

      const cancelled = await controller.runs.cancel(run.id, { reason: "user pressed stop" });
      expect(cancelled).toMatchObject({ status: "cancelled", errorMessage: "user pressed stop" });
      // Nothing else is recorded: the heartbeat's answer carries the news.
      const reason = await aborted;
      expect(reason).toBeInstanceOf(RunCancelledError);
      expect((reason as RunCancelledError).reason).toBe("user pressed stop");
      expect(run.status).toBe("cancelled");
      await expect(controller.runs.cancel(run.id)).rejects.toBeInstanceOf(RunAlreadyFinishedError);
      await run.complete(); // racing a cancel is not misuse: a no-op
      await step.fail({ errorMessage: "aborted" });
      await writer.shutdown();
      const { tasks } = await controller.runs.get(run.id);
      expect(tasks[0]?.status).toBe("cancelled");
      await controller.shutdown();
    });

    it("client.run(id) resumes a run from another process; its tasks follow in order", async () => {
      const a = client();
      const run = await a.startRun({ name: "sdk-resume" });
      const t1 = await run.startTask("in-process-a");
      await t1.complete();
      await a.shutdown();

      const b = client();
      const resumed = await b.run(run.id);
      expect(resumed.status).toBe("running");
      const t2 = await resumed.startTask("in-process-b");
      await t2.complete();
      await resumed.complete({ output: "resumed" });
      await b.flush();
      const { run: final, tasks } = await b.runs.get(run.id);
      expect(final).toMatchObject({ status: "completed", output: "resumed" });
      expect(tasks.map((t) => t.name)).toEqual(["in-process-a", "in-process-b"]);
      await expect(b.run(uid("missing"))).rejects.toBeInstanceOf(RunNotFoundError);
      await b.shutdown();
    });

    it("a process that exits without flushing delivers everything; one killed mid-run becomes timed_out", async () => {
      const env = { RUNTRAIL_URL: api.url, RUNTRAIL_API_KEY: api.apiKey };
      const clean = await child(
        `import { Runtrail } from ${JSON.stringify(SDK_ENTRY)};
         const c = new Runtrail();
         const run = await c.startRun({ name: "exits-without-flush" });
         for (let i = 0; i < 50; i++) { const t = await run.startTask("step-" + i); await t.complete({ output: i }); }
         await run.complete();
         console.log(run.id);`,
        env,
      );
      expect(clean.code, clean.out).toBe(0);
      const cleanId = clean.out.trim().split("\n").pop() ?? "";
      const got = await api.getRun(cleanId);
      expect(got.run.status).toBe("completed");
      expect(got.tasks.map((t: { name: string }) => t.name)).toEqual(Array.from({ length: 50 }, (_, i) => `step-${i}`));

      const crashed = await child(
        `import { Runtrail } from ${JSON.stringify(SDK_ENTRY)};
         const c = new Runtrail({ heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1500 });
         const run = await c.startRun({ name: "crashes" });
         await run.startTask("stuck");
         await c.flush();
         console.log(run.id);
         setInterval(() => {}, 1000);`,
        env,
        2500,
      );
      expect(crashed.signal).toBe("SIGKILL");
      const crashedId = crashed.out.trim().split("\n").pop() ?? "";
      // Alive for ~2.5 s with a 1.5 s timeout: heartbeats kept it running until the kill.
      await sleep(300);
      expect((await api.getRun(crashedId)).run.status).toBe("running");
      for (let i = 0; i < 40 && (await api.getRun(crashedId)).run.status === "running"; i++) await sleep(100);
      const dead = await api.getRun(crashedId);
      expect(dead.run.status).toBe("timed_out");
      expect(dead.tasks[0].status).toBe("cancelled");
    });
  });
}
