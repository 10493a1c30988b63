import { testStoreKinds } from "@runtrail/db/testing";
import { Runtrail } from "@runtrail/sdk";
import { describe, expect, it } from "vitest";
import { emitter, normalise, prng, referenceRun, shuffled, uid, useServer } from "./harness";

/** Ingestion over real HTTP: SDK round trip, idempotence, ordering, per-event validation, conflicts. */

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

for (const kind of await testStoreKinds()) {
  describe(`HTTP ingest on ${kind.name}`, () => {
    const api = useServer(kind);

    it("records the seed example with the SDK and reads it back intact", async () => {
      const errors: unknown[] = [];
      // Small batches so the run travels in several requests.
      const client = new Runtrail({
        baseUrl: api.url,
        apiKey: api.apiKey,
        flushIntervalMs: 10,
        maxBatchSize: 3,
        onError: (e) => errors.push(e),
      });
      let runId: string;
      let report: Awaited<ReturnType<Runtrail["shutdown"]>>;
      try {
        const run = await client.startRun({ input: { file: "report.pdf" } });
        runId = run.id;
        const parseTask = await run.startTask("parse-pdf", { file: "report.pdf" });
        await parseTask.complete({ output: { pages: 3 } });
        const summariseTask = await run.startTask("summarise", { pages: 3 });
        await summariseTask.complete({ output: { summary: "A short report." } });
        const [taskA, taskB] = await Promise.all([run.startTask("fetch-users"), run.startTask("fetch-products")]);
        // Finish in the other order: the timeline still follows the starts.
        await taskB.complete({ output: { count: 5 } });
        await taskA.complete({ output: { count: 2 } });
        const flaky = await run.startTask("fetch-data", { url: "https://api.example.com" });
        await flaky.fail({ errorMessage: "Connection refused" });
        const cached = await run.startTask("render");
        await cached.skip();
        await run.complete({ output: { summary: "A short report." } });
      } finally {
        report = await client.shutdown();
      }
      expect(errors).toEqual([]);
      expect(report).toEqual({ sent: 14, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });

      const { run, tasks } = await api.getRun(runId);
      expect(run).toMatchObject({
        id: runId,
        name: "run",
        status: "completed",
        input: { file: "report.pdf" },
        output: { summary: "A short report." },
        errorMessage: null,
        taskCounts: { total: 6, running: 0, completed: 4, failed: 1, skipped: 1, cancelled: 0 },
      });
      expect(typeof run.durationMs).toBe("number");
      expect(Date.parse(run.endedAt)).toBeGreaterThanOrEqual(Date.parse(run.startedAt));
      expect(tasks.map((t) => [t.name, t.status, t.input, t.output, t.errorMessage])).toEqual([
        ["parse-pdf", "completed", { file: "report.pdf" }, { pages: 3 }, null],
        ["summarise", "completed", { pages: 3 }, { summary: "A short report." }, null],
        ["fetch-users", "completed", null, { count: 2 }, null],
        ["fetch-products", "completed", null, { count: 5 }, null],
        ["fetch-data", "failed", { url: "https://api.example.com" }, null, "Connection refused"],
        ["render", "skipped", null, null, null],
      ]);
      for (const t of tasks) expect(t.runId).toBe(runId);
      const seqs = tasks.map((t) => t.seq as number);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

      // Crafted runs live in 2020: the SDK's run (started now) is the newest.
      const list = await api.call("/api/v1/runs?limit=5");
      expect(list.status).toBe(200);
      expect(list.body.data[0]).toMatchObject({ id: runId, name: "run", status: "completed" });
      expect(list.body.data[0].input).toBeUndefined(); // list rows omit payloads
    });

    it("stores a batch posted twice once: the retry is all duplicate and changes nothing", async () => {
      const runId = uid("dup");
      const batch = referenceRun(runId);
      const first = await api.ingest(batch);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ accepted: batch.length, duplicates: 0, conflicts: 0, rejected: 0 });
      const before = await api.getRun(runId);
      expect(before.run.status).toBe("completed");
      expect(before.tasks.map((t) => t.name)).toEqual(["parse-pdf", "summarise", "fetch-users", "fetch-products", "ocr-page", "translate"]);

      const again = await api.ingest(batch);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ accepted: 0, duplicates: batch.length, conflicts: 0, rejected: 0 });
      expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(batch.map(() => "duplicate"));
      expect(again.body.results.map((r: { id: string }) => r.id)).toEqual(batch.map((e) => e.id));
      expect(await api.getRun(runId)).toEqual(before);
    });

    it("one event per request in reverse order gives the same run as in order", async () => {
      const inOrder = uid("fwd");
      const reversed = uid("rev");
      expect((await api.ingest(referenceRun(inOrder))).status).toBe(200);
      const events = referenceRun(reversed).reverse();
      for (const e of events) {
        const r = await api.ingest([e]);
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.accepted).toBe(1);
      }
      const want = await api.getRun(inOrder);
      const got = await api.getRun(reversed);
      expect(normalise(got, reversed)).toEqual(normalise(want, inOrder));
      expect(got.run.taskCounts).toEqual({ total: 6, running: 0, completed: 4, failed: 1, skipped: 1, cancelled: 0 });
    });

    it("two runs shuffled across concurrent requests, some retried, both equal the reference", async () => {
      const ref = uid("ref");
      expect((await api.ingest(referenceRun(ref))).status).toBe(200);
      const want = normalise(await api.getRun(ref), ref);

      const a = uid("mixA");
      const b = uid("mixB");
      const rand = prng(20261122);
      const all = shuffled([...referenceRun(a), ...referenceRun(b)], rand);
      const batches = chunks(all, 4);
      // Every third batch is also sent again, concurrently with the rest.
      const retries = batches.filter((_, i) => i % 3 === 0);
      const replies = await Promise.all([...batches, ...retries].map((batch) => api.ingest(batch)));
      for (const r of replies) {
        expect(r.status, JSON.stringify(r.body)).toBe(200);
        expect(r.body.rejected + r.body.conflicts).toBe(0);
      }
      const total = replies.reduce((n, r) => n + r.body.accepted, 0);
      const dups = replies.reduce((n, r) => n + r.body.duplicates, 0);
      expect(total).toBe(all.length);
      expect(dups).toBe(retries.flat().length);

      // A sequential retry of everything afterwards is a no-op.
      const late = await api.ingest(shuffled(all, rand).slice(0, 10));
      expect(late.body.duplicates).toBe(10);

      expect(normalise(await api.getRun(a), a)).toEqual(want);
      expect(normalise(await api.getRun(b), b)).toEqual(want);
    });

    it("validates per event: bad events are rejected naming the field, good neighbours are stored", async () => {
      const runId = uid("val");
      const ev = emitter(runId);
      const good0 = ev("run.start", 0, { name: "validation" });
      const good1 = ev("task.start", 1, { taskId: "ok", name: "good-task", input: { n: 1 } });
      const noTask = ev("task.start", 2, { name: "no-task-id" }); // taskId missing
      const unknown = ev("task.explode", 3, { taskId: "x" });
      const negSeq = { ...ev("task.start", 4, { taskId: "neg", name: "neg" }), seq: -1 };
      const badTs = { ...ev("task.start", 5, { taskId: "badts", name: "badts" }), ts: "yesterday" };
      const good2 = ev("task.complete", 6, { taskId: "ok", output: { done: true } });
      const runDone = ev("run.complete", 7, {});
      const batch: unknown[] = [good0, good1, noTask, unknown, negSeq, badTs, "not an event", null, [1], good2, runDone];

      const r = await api.ingest(batch);
      expect(r.status).toBe(207);
      expect(r.body).toMatchObject({ accepted: 4, duplicates: 0, conflicts: 0, rejected: 7 });
      const res = r.body.results as { index: number; id: string | null; status: string; error?: string }[];
      expect(res.map((x) => x.index)).toEqual(batch.map((_, i) => i));
      expect(res.map((x) => x.status)).toEqual([
        "accepted",
        "accepted",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "accepted",
        "accepted",
      ]);
      expect(res[2]?.error).toMatch(/^batch\[2\]\.taskId: required/);
      expect(res[2]?.id).toBe(noTask.id);
      expect(res[3]?.error).toMatch(/^batch\[3\]\.type: unknown event type "task\.explode"/);
      expect(res[4]?.error).toMatch(/^batch\[4\]\.seq: /);
      expect(res[5]?.error).toMatch(/^batch\[5\]\.ts: /);
      for (const i of [6, 7, 8]) {
        expect(res[i]?.error).toMatch(new RegExp(`^batch\\[${i}\\]: must be an object`));
        expect(res[i]?.id).toBeNull();
      }

      const { run, tasks } = await api.getRun(runId);
      expect(run).toMatchObject({ name: "validation", status: "completed" });
      expect(tasks.map((t) => [t.id, t.name, t.status, t.input, t.output])).toEqual([
        ["ok", "good-task", "completed", { n: 1 }, { done: true }],
      ]);
    });

    it("a later conflicting terminal event is reported as conflict and not applied", async () => {
      const runId = uid("conf");
      const ev = emitter(runId);
      const first = await api.ingest([
        ev("run.start", 0, { name: "conflict" }),
        ev("task.start", 1, { taskId: "t", name: "only" }),
        ev("task.complete", 2, { taskId: "t", output: { ok: 1 } }),
      ]);
      expect(first.status).toBe(200);
      const fail = ev("task.fail", 3, { taskId: "t", errorMessage: "too late" });
      const skip = ev("task.skip", 4, { taskId: "t" });
      const r = await api.ingest([fail, skip]);
      expect(r.status).toBe(207);
      expect(r.body).toMatchObject({ accepted: 0, conflicts: 2, rejected: 0 });
      expect(r.body.results[0]).toMatchObject({ index: 0, id: fail.id, status: "conflict" });
      expect(r.body.results[0].error).toMatch(/^batch\[0\]: /);
      const { run, tasks } = await api.getRun(runId);
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ status: "completed", output: { ok: 1 }, errorMessage: null });
      expect(run.taskCounts).toMatchObject({ total: 1, completed: 1, failed: 0, skipped: 0, running: 0 });
      // A retried conflict is a duplicate, still not applied.
      const again = await api.ingest([fail]);
      expect(again.body.results[0].status).toBe("duplicate");
      expect((await api.getRun(runId)).tasks[0].status).toBe("completed");
    });

    it("the first terminal event by seq wins even when it arrives last", async () => {
      const runId = uid("seqwin");
      const ev = emitter(runId);
      const start = ev("run.start", 0, { name: "seq-wins" });
      const tStart = ev("task.start", 1, { taskId: "t", name: "t" });
      const complete = ev("task.complete", 2, { taskId: "t", output: { first: true } });
      const fail = ev("task.fail", 3, { taskId: "t", errorMessage: "second" });
      const runDone = ev("run.complete", 4, {});
      const runFail = ev("run.fail", 5, { errorMessage: "second" });
      expect((await api.ingest([runFail, fail, start])).status).toBe(200);
      expect((await api.getRun(runId)).tasks[0]).toMatchObject({ status: "failed", errorMessage: "second" });
      const r = await api.ingest([runDone, complete, tStart]);
      expect(r.body.accepted).toBe(3);
      const { run, tasks } = await api.getRun(runId);
      expect(run).toMatchObject({ status: "completed", errorMessage: null });
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ name: "t", status: "completed", output: { first: true }, errorMessage: null });
      expect(run.taskCounts).toMatchObject({ total: 1, completed: 1, failed: 0 });
    });

    it("stores NUL characters and lone surrogates (sent as JSON escapes) as U+FFFD", async () => {
      const runId = uid("nul");
      const ev = emitter(runId);
      const start = ev("run.start", 0, { name: "nul", metadata: { PLACEHOLDER_KEY: 1 } });
      const task = ev("task.start", 1, { taskId: "t", name: "PLACEHOLDER_NAME", input: { text: "PLACEHOLDER_TEXT" } });
      // JSON.stringify would escape a lone surrogate the same way; write the escapes by hand to be explicit.
      const raw = JSON.stringify({ batch: [start, task] })
        .replace("PLACEHOLDER_KEY", "k\\u0000ey")
        .replace("PLACEHOLDER_NAME", "na\\u0000me")
        .replace("PLACEHOLDER_TEXT", "a\\u0000b \\ud800 c\\udfffd \\ud83d\\ude00");
      expect(raw).toContain("\\u0000");
      const r = await api.call("/api/v1/ingest", { raw });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.accepted).toBe(2);
      const { run, tasks } = await api.getRun(runId);
      expect(run.metadata).toEqual({ "k\uFFFDey": 1 });
      expect(tasks[0]).toMatchObject({ name: "na\uFFFDme", input: { text: "a\uFFFDb \uFFFD c\uFFFDd \u{1F600}" } });
    });
  });
}
