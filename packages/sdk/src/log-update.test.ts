import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import { InvalidArgumentError, TaskAlreadyFinishedError } from "./errors.js";
import { fakeIngest } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient(maxValueBytes = 10_000) {
  const ingest = fakeIngest();
  const client = new Runtrail({ baseUrl: "http://runtrail.test", apiKey: "k", fetch: ingest.fetch, flushIntervalMs: 60_000, maxValueBytes });
  clients.push(client);
  return { client, ingest };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  vi.restoreAllMocks();
});

describe("task.update, logs and usage", () => {
  it("encode as task.update, run.log / task.log events and usage fields", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun({ name: "r" });
    const task = await run.startTask("t");
    task.update({ statusMessage: "page 3 of 10", progress: 0.3 });
    task.update({ progress: 1 });
    task.log("retrying", { level: "warn", attributes: { attempt: 2 } });
    run.log("plain");
    await task.complete({ output: { ok: true }, usage: { inputTokens: 1200, outputTokens: 80, costUsd: 0.002 } });
    const failing = await run.startTask("f");
    await failing.fail({ errorMessage: "boom", usage: { inputTokens: 5 } });
    task.log("after the end is fine");
    await run.complete({ usage: { costUsd: 0.5 } });
    await client.flush();
    const events = ingest.events().map(({ id, runId, seq, ts, ...rest }) => rest);
    expect(events.slice(2)).toEqual([
      { type: "task.update", taskId: task.id, statusMessage: "page 3 of 10", progress: 0.3 },
      { type: "task.update", taskId: task.id, progress: 1 },
      { type: "task.log", taskId: task.id, message: "retrying", level: "warn", attributes: { attempt: 2 } },
      { type: "run.log", message: "plain" },
      { type: "task.complete", taskId: task.id, output: { ok: true }, usage: { inputTokens: 1200, outputTokens: 80, costUsd: 0.002 } },
      { type: "task.start", taskId: failing.id, name: "f" },
      { type: "task.fail", taskId: failing.id, errorMessage: "boom", usage: { inputTokens: 5 } },
      { type: "task.log", taskId: task.id, message: "after the end is fine" },
      { type: "run.complete", usage: { costUsd: 0.5 } },
    ]);
    expect(events[0]).toMatchObject({ type: "run.start", heartbeatTimeoutMs: 60_000 });
  });

  it("truncate log attributes and long messages like other values", async () => {
    const { client, ingest } = makeClient(1024);
    const run = await client.startRun();
    run.log("m".repeat(2000), { attributes: { blob: "x".repeat(5000) } });
    await client.flush();
    const log = ingest.events()[1];
    expect(log?.message).toBe(`${"m".repeat(1024)}… [truncated]`);
    expect(log?.attributes).toMatchObject({ $truncated: true });
  });

  it("validate at the call site and send nothing for a bad call", async () => {
    const { client, ingest } = makeClient();
    const run = await client.startRun();
    const task = await run.startTask("t");
    expect(() => task.update({ progress: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => task.update({ progress: -0.1 })).toThrow(/progress must be a number from 0 to 1/);
    expect(() => task.update({ progress: Number.NaN })).toThrow(InvalidArgumentError);
    expect(() => task.update({})).toThrow(/statusMessage, progress/);
    expect(() => task.update({ statusMessage: 3 as unknown as string })).toThrow(InvalidArgumentError);
    expect(() => run.log("")).toThrow(/non-empty/);
    expect(() => task.log("x", { level: "fatal" as never })).toThrow(/level must be one of debug, info, warn, error/);
    expect(() => task.log("x", { attributes: ["a"] as never })).toThrow(/attributes must be a plain object/);
    expect(() => task.complete({ usage: { inputTokens: -3 } })).toThrow(/usage.inputTokens/);
    expect(task.status).toBe("running"); // the bad complete() changed nothing
    expect(() => run.fail({ errorMessage: "x", usage: { costUsd: Number.POSITIVE_INFINITY } })).toThrow(/usage.costUsd/);
    expect(run.status).toBe("running");
    expect(() => task.skip({ reason: { toJSON: () => "x" } as never })).toThrow(/reason must be a string/);
    expect(task.status).toBe("running");
    await task.skip();
    expect(() => task.update({ progress: 0.5 })).toThrow(TaskAlreadyFinishedError);
    await client.flush();
    expect(ingest.events().map((e) => e.type)).toEqual(["run.start", "task.start", "task.skip"]);
  });
});

describe("seq across runs", () => {
  it("orders each run's events by emit order and interleaves runs by wall-clock, even when the clock goes back", async () => {
    const now = vi.spyOn(Date, "now");
    let clock = 1_800_000_000_000;
    now.mockImplementation(() => clock);
    const { client, ingest } = makeClient();
    const a = await client.startRun({ name: "a" });
    clock += 5;
    const b = await client.startRun({ name: "b" });
    clock += 5;
    await a.startTask("a1");
    clock -= 1000; // the clock steps back
    await b.startTask("b1");
    await a.startTask("a2");
    clock += 2000;
    await b.complete();
    await a.complete();
    await client.flush();
    const events = ingest.events();
    for (const runId of [a.id, b.id]) {
      const seqs = events.filter((e) => e.runId === runId).map((e) => e.seq);
      for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? Number.POSITIVE_INFINITY);
    }
    const seqOf = (type: string, name?: string) => events.find((e) => e.type === type && (name === undefined || e.name === name))?.seq ?? 0;
    expect(seqOf("run.start", "a")).toBeLessThan(seqOf("run.start", "b"));
    expect(seqOf("run.start", "b")).toBeLessThan(seqOf("task.start", "a1"));
    expect(seqOf("run.complete")).toBe((clock) * 1000); // back on the wall clock after it caught up
  });
});
