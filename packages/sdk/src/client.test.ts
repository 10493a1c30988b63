import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import type { RuntrailOptions } from "./config.js";
import {
  ClientClosedError,
  InvalidArgumentError,
  RunAlreadyFinishedError,
  RuntrailError,
  TaskAlreadyFinishedError,
} from "./errors.js";
import { fakeIngest, seqRanks, type WireEvent } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient(options: RuntrailOptions = {}) {
  const ingest = fakeIngest();
  const client = new Runtrail({
    baseUrl: "http://runtrail.test/",
    apiKey: "rt_test",
    fetch: ingest.fetch,
    flushIntervalMs: 60_000,
    ...options,
  });
  clients.push(client);
  return { client, ingest };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

function byRun(events: WireEvent[], runId: string): WireEvent[] {
  return events.filter((event) => event.runId === runId);
}

describe("recording", () => {
  it("gives each run strictly increasing seqs in emit order, across parallel and nested tasks", async () => {
    const { client, ingest } = makeClient({ maxBatchSize: 4 });
    const runA = await client.startRun({ name: "a" });
    const runB = await client.startRun({ name: "b" });
    const [fetchUsers, fetchProducts] = await Promise.all([runA.startTask("fetch-users"), runA.startTask("fetch-products")]);
    const other = await runB.startTask("other");
    const page = await fetchUsers.startTask("page", { page: 1 });
    await fetchProducts.complete({ output: { count: 2 } }); // finishes before the task started first
    await page.complete();
    await other.skip({ reason: "cache hit" });
    await fetchUsers.fail({ errorMessage: "Connection refused" });
    await runA.complete();
    await runB.fail(new Error("b broke"));
    const report = await client.flush();

    const events = ingest.events();
    expect(report).toEqual({ sent: 12, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });
    // One batch in flight at a time, in order: arrival order is emit order.
    expect(ingest.batches.map((batch) => batch.length)).toEqual([4, 4, 4]);
    const eventsA = byRun(events, runA.id);
    const ranksA = seqRanks(eventsA);
    expect(eventsA.map((e, i) => [ranksA[i], e.type, e.name ?? e.taskId])).toEqual([
      [0, "run.start", "a"],
      [1, "task.start", "fetch-users"],
      [2, "task.start", "fetch-products"],
      [3, "task.start", "page"],
      [4, "task.complete", fetchProducts.id],
      [5, "task.complete", page.id],
      [6, "task.fail", fetchUsers.id],
      [7, "run.complete", undefined],
    ]);
    const eventsB = byRun(events, runB.id);
    const ranksB = seqRanks(eventsB);
    expect(eventsB.map((e, i) => [ranksB[i], e.type])).toEqual([
      [0, "run.start"],
      [1, "task.start"],
      [2, "task.skip"],
      [3, "run.fail"],
    ]);
    const pageStart = events.find((e) => e.type === "task.start" && e.taskId === page.id);
    expect(pageStart).toMatchObject({ parentTaskId: fetchUsers.id, input: { page: 1 }, runId: runA.id });
    expect(events.find((e) => e.type === "task.skip")?.reason).toBe("cache hit");
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const event of events) expect(event.ts).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it("exposes ids, names and status on the handles, and sends the run's fields", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun({
      name: "report",
      input: { file: "report.pdf" },
      metadata: { model: "m1" },
      tags: ["nightly"],
      parentRunId: "parent-1",
    });
    const task = await run.startTask("parse-pdf", { file: "report.pdf" });
    const child = await task.startTask("ocr-page", { page: 1 });
    expect(run.id).toMatch(/^[0-9a-f-]{36}$/);
    expect([run.name, run.status]).toEqual(["report", "running"]);
    expect([task.name, task.runId, task.parentTaskId, task.status]).toEqual(["parse-pdf", run.id, undefined, "running"]);
    expect(child.parentTaskId).toBe(task.id);
    await child.complete();
    await task.complete({ output: { pages: 3 } });
    await run.complete({ output: { ok: true } });
    expect([child.status, task.status, run.status]).toEqual(["completed", "completed", "completed"]);
    await client.flush();
    const [start] = ingest.events();
    expect(start).toMatchObject({
      type: "run.start",
      name: "report",
      input: { file: "report.pdf" },
      metadata: { model: "m1" },
      tags: ["nightly"],
      parentRunId: "parent-1",
    });
    expect(ingest.requests[0]?.url).toBe("http://runtrail.test/api/v1/ingest?results=errors");
    expect((await client.startRun()).name).toBe("run");
  });

  it("captures values when the event loop turns: a change after awaiting a network call or a timer is not recorded", async () => {
    // A network round-trip, as to an LLM: even on localhost it takes more than one turn of the event loop.
    const server = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const { client, ingest } = makeClient();
      const input = { items: [1] };
      const run = await client.startRun({ input });
      const output = { pages: 1 };
      const task = await run.startTask("t", input);
      await task.complete({ output });
      await (await fetch(url)).text();
      input.items.push(2);
      output.pages = 2;
      const other = await run.startTask("timer", input);
      await new Promise((resolve) => setTimeout(resolve, 50));
      input.items.push(3);
      await other.complete();
      await client.flush();
      const events = ingest.events();
      expect(events[0]?.input).toEqual({ items: [1] });
      expect(events[1]?.input).toEqual({ items: [1] });
      expect(events[2]?.output).toEqual({ pages: 1 });
      expect(events[3]?.input).toEqual({ items: [1, 2] });
    } finally {
      server.close();
    }
  });

  it("captures values when the event loop turns: a change in the same tick (no I/O awaited) is recorded", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const input = { step: 1 };
    const task = await run.startTask("t", input);
    input.step = 2; // synchronously after the call
    const output = { ok: false };
    await task.complete({ output });
    await Promise.resolve(); // microtasks only: still the same turn of the event loop
    output.ok = true;
    await client.flush();
    const [, start, complete] = ingest.events();
    expect(start?.input).toEqual({ step: 2 });
    expect(complete?.output).toEqual({ ok: true });
  });

  it("sends nothing it was not asked to record (the idle instances that keep V8's layouts record nothing)", async () => {
    const { client, ingest } = makeClient();
    makeClient(); // a second client in the same process
    expect(await client.flush()).toMatchObject({ sent: 0, pending: 0 });
    expect(ingest.requests).toHaveLength(0);
    const run = await client.startRun({ name: "only" });
    await (await run.startTask("t")).complete();
    await client.flush();
    expect(ingest.events().map((e) => [e.type, e.runId])).toEqual([
      ["run.start", run.id],
      ["task.start", run.id],
      ["task.complete", run.id],
    ]);
  });

  it("makes task ids `<per-client prefix>.<counter>`, unique across clients", async () => {
    const a = makeClient().client;
    const b = makeClient().client;
    const [runA, runB] = await Promise.all([a.startRun(), b.startRun()]);
    const ids = new Set<string>();
    for (let i = 0; i < 500; i++) {
      for (const run of [runA, runB]) {
        const task = await run.startTask(`t${i}`);
        expect(task.id).toMatch(/^[0-9a-f]{20}\.[0-9a-z]+$/);
        ids.add(task.id);
      }
    }
    expect(ids.size).toBe(1000);
    expect(runA.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/); // runs stay UUIDv7
  });

  it("truncates big values with a marker and never throws on unserializable ones", async () => {
    const { client, ingest } = makeClient({ maxValueBytes: 1024 });
    const run = await client.startRun({ input: { text: "x".repeat(5000) } });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    const task = await run.startTask("t", circular);
    await task.complete({ output: { big: 10n } });
    await client.flush();
    const [start, taskStart, taskComplete] = ingest.events();
    expect(start?.input).toMatchObject({ $truncated: true, originalBytes: 5011 });
    expect((start?.input as { preview?: string } | undefined)?.preview).toHaveLength(2000);
    expect(taskStart?.input).toHaveProperty("$unserializable");
    expect(taskComplete?.output).toHaveProperty("$unserializable");
  });

  it("fail() accepts an Error, { error } or { errorMessage }", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const err = new Error("Connection refused");
    await (await run.startTask("a")).fail(err);
    await (await run.startTask("b")).fail({ error: new TypeError("bad type"), output: { partial: true } });
    await (await run.startTask("c")).fail({ errorMessage: "plain" });
    await client.flush();
    const fails = ingest.events().filter((e) => e.type === "task.fail");
    expect(fails.map((e) => e.errorMessage)).toEqual(["Connection refused", "bad type", "plain"]);
    expect(fails[0]?.errorStack).toBe(err.stack);
    expect(fails[1]?.output).toEqual({ partial: true });
  });
});

describe("misuse", () => {
  it("throws typed errors at the call and sends nothing invalid", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const task = await run.startTask("t");
    await task.complete();
    expect(() => task.complete()).toThrow(TaskAlreadyFinishedError);
    expect(() => task.fail(new Error("late"))).toThrow(TaskAlreadyFinishedError);
    expect(() => task.skip()).toThrow(TaskAlreadyFinishedError);
    expect(() => task.startTask("child")).toThrow(TaskAlreadyFinishedError);
    try {
      task.skip();
    } catch (err) {
      expect(err).toBeInstanceOf(RuntrailError);
      expect(err).toMatchObject({ code: "task_already_finished", taskId: task.id, status: "completed" });
    }
    expect(() => run.startTask("")).toThrow(InvalidArgumentError);
    expect(() => run.startTask("   ")).toThrow(/non-empty/);
    const open = await run.startTask("still-running");
    expect(() => open.fail({})).toThrow(InvalidArgumentError);
    expect(open.status).toBe("running"); // a bad call changes nothing
    await run.complete(); // allowed with a task still running
    expect(() => run.complete()).toThrow(RunAlreadyFinishedError);
    expect(() => run.fail({ errorMessage: "x" })).toThrow(RunAlreadyFinishedError);
    expect(() => run.startTask("late")).toThrow(RunAlreadyFinishedError);
    expect(() => open.startTask("late")).toThrow(RunAlreadyFinishedError);
    await open.complete(); // a task may finish after its run
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual([
      "run.start",
      "task.start",
      "task.complete",
      "task.start",
      "run.complete",
      "task.complete",
    ]);
  });

  it("rejects bad options with InvalidArgumentError", () => {
    vi.stubEnv("RUNTRAIL_API_KEY", "");
    vi.stubEnv("RUNTRAIL_DISABLED", "");
    expect(() => new Runtrail()).toThrow(/RUNTRAIL_API_KEY/);
    expect(() => new Runtrail({ apiKey: "k", maxBatchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => new Runtrail({ apiKey: "k", baseUrl: "runtrail.test" })).toThrow(/http/);
    const { client } = makeClient();
    expect(() => client.startRun({ tags: ["ok", 1 as unknown as string] })).toThrow(InvalidArgumentError);
  });
});

describe("flush and shutdown", () => {
  it("reports cumulative totals; overlapping flushes share the work", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const first = client.flush();
    await run.startTask("t");
    const second = client.flush();
    expect(second).toBe(first);
    expect(await second).toMatchObject({ sent: 2, pending: 0 });
    await run.complete();
    expect(await client.flush()).toMatchObject({ sent: 3, pending: 0 });
    expect(ingest.requests).toHaveLength(2);
  });

  it("resolves on timeout with what is pending, and keeps retrying in the background", async () => {
    let down = true;
    const ingest = fakeIngest(() => (down ? new TypeError("fetch failed") : undefined));
    const { client } = makeClient({ fetch: ingest.fetch });
    await client.startRun();
    expect(await client.flush(50)).toMatchObject({ sent: 0, pending: 1 });
    down = false;
    await vi.waitFor(() => expect(ingest.events()).toHaveLength(1), { timeout: 5000 });
    expect(await client.flush()).toMatchObject({ sent: 1, pending: 0 });
  });

  it("shutdown delivers, is safe to call twice, and closes the client", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const first = client.shutdown();
    expect(client.shutdown()).toBe(first);
    expect(await first).toMatchObject({ sent: 1, pending: 0 });
    expect(() => client.startRun()).toThrow(ClientClosedError);
    await run.complete(); // handles still work; their events are ignored
    expect(await client.flush()).toMatchObject({ sent: 1, pending: 0 });
    expect(ingest.events()).toHaveLength(1);
  });

  it("unrefs its timer, adds one hook per exit event lazily and removes them on shutdown", async () => {
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const events = ["beforeExit", "exit", "SIGTERM", "SIGINT"] as const;
    const counts = () => events.map((event) => process.listenerCount(event));
    const initial = counts();
    const before = process.listeners("beforeExit");
    const { client, ingest } = makeClient();
    const other = makeClient().client;
    const timer = setIntervalSpy.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    expect(counts()).toEqual(initial);
    const run = await client.startRun();
    await run.startTask("t");
    await other.startRun(); // a second client shares the same listeners
    expect(counts()).toEqual(initial.map((n) => n + 1));
    const added = process.listeners("beforeExit").filter((listener) => !before.includes(listener));
    expect(added).toHaveLength(1);
    added[0]?.(0); // what Node does when the loop empties
    added[0]?.(0); // again while that flush runs: no second flush
    await vi.waitFor(() => expect(ingest.events()).toHaveLength(2));
    expect(ingest.requests).toHaveLength(1);
    await client.shutdown();
    expect(counts()).toEqual(initial.map((n) => n + 1));
    await other.shutdown();
    expect(counts()).toEqual(initial);
  });
});

describe("disabled", () => {
  it("enabled: false records nothing but returns working handles", async () => {
    const setIntervalSpy = vi.spyOn(globalThis, "setInterval");
    const fetch = vi.fn();
    const client = new Runtrail({ enabled: false, fetch });
    const run = await client.startRun({ name: "r" });
    const task = await run.startTask("t");
    await task.complete();
    expect(() => task.complete()).toThrow(TaskAlreadyFinishedError);
    expect(task.id).toMatch(/^[0-9a-f]{20}\.[0-9a-z]+$/);
    expect(client.enabled).toBe(false);
    expect(await client.flush()).toMatchObject({ sent: 0, pending: 0 });
    expect(await client.shutdown()).toMatchObject({ sent: 0, pending: 0 });
    expect(fetch).not.toHaveBeenCalled();
    expect(setIntervalSpy).not.toHaveBeenCalled();
  });

  it("RUNTRAIL_DISABLED=1 disables; RUNTRAIL_URL and RUNTRAIL_API_KEY are the defaults", async () => {
    vi.stubEnv("RUNTRAIL_DISABLED", "true");
    expect(new Runtrail().enabled).toBe(false);
    vi.stubEnv("RUNTRAIL_DISABLED", "");
    vi.stubEnv("RUNTRAIL_URL", "http://env.test:4000");
    vi.stubEnv("RUNTRAIL_API_KEY", "rt_env");
    const ingest = fakeIngest();
    const client = new Runtrail({ fetch: ingest.fetch });
    clients.push(client);
    await client.startRun();
    await client.flush();
    expect(ingest.requests[0]?.url).toBe("http://env.test:4000/api/v1/ingest?results=errors");
    expect(ingest.requests[0]?.headers.authorization).toBe("Bearer rt_env");
  });
});
