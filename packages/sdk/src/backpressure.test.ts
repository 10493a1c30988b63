/**
 * Backpressure through the whole client (fake ingest): awaited recording calls
 * wait for room in a full queue while delivery progresses, drop only after
 * `maxBlockMs` without progress or at shutdown; `log` and `update` never wait.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import type { RuntrailOptions } from "./config.js";
import { acceptAll, fakeIngest, type Reply, seqRanks, type WireEvent } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient(decide: (batch: WireEvent[], call: number) => Reply | undefined, options: RuntrailOptions = {}) {
  const ingest = fakeIngest(decide);
  const client = new Runtrail({
    baseUrl: "http://runtrail.test",
    apiKey: "rt_test",
    fetch: ingest.fetch,
    flushIntervalMs: 60_000,
    heartbeatIntervalMs: 0,
    ...options,
  });
  clients.push(client);
  return { client, ingest };
}

/** Accepts every batch after `delayMs` on a timer: a server over real I/O, which the caller's awaits never reach. */
const acceptLater = (delayMs: number) => (batch: WireEvent[]) => ({
  status: 200,
  body: acceptAll(batch, undefined, { errorsOnly: true }),
  delayMs,
});

/** "settled", or "pending" when `promise` is still pending once the microtasks queued now have run. */
async function state(promise: Promise<unknown>): Promise<"settled" | "pending"> {
  let settled = false;
  void promise.then(() => {
    settled = true;
  });
  for (let i = 0; i < 20; i++) await Promise.resolve();
  return settled ? "settled" : "pending";
}

/** The flush report at once, under fake timers. */
async function reportNow(client: Runtrail) {
  const flushing = client.flush(0);
  await vi.advanceTimersByTimeAsync(0);
  return flushing;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  vi.restoreAllMocks();
});

describe("awaited calls on a full queue", () => {
  it("wait for room while delivery progresses: a loop far past the bound loses nothing and ends completed", async () => {
    const { client, ingest } = makeClient(acceptLater(1), { maxQueueSize: 50, maxBatchSize: 20 });
    const run = await client.startRun({ name: "loop" });
    for (let i = 0; i < 2_000; i++) {
      const task = await run.startTask(`t${i}`);
      await task.complete({ output: { i } });
    }
    // The loop's awaits never yield by themselves; the full queue made them, so delivery ran during the loop.
    expect(ingest.requests.length).toBeGreaterThan(100);
    await run.complete();
    const report = await client.flush();
    expect(report).toEqual({ sent: 4_002, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });
    const events = ingest.events();
    expect(seqRanks(events)).toEqual([...Array(4_002).keys()]);
    expect(events.at(-1)?.type).toBe("run.complete");
  });

  it("wait in call order, each stamped at its call, when many wait at once", async () => {
    const { client, ingest } = makeClient(acceptLater(1), { maxQueueSize: 10, maxBatchSize: 5 });
    const run = await client.startRun();
    const calledAt = Date.now() - 60_000;
    const clock = vi.spyOn(Date, "now").mockReturnValue(calledAt);
    const starting = Array.from({ length: 60 }, (_, i) => run.startTask(`t${i}`));
    clock.mockRestore();
    const tasks = await Promise.all(starting);
    await Promise.all(tasks.map((task) => task.complete()));
    await run.complete();
    expect(await client.flush()).toMatchObject({ sent: 122, pending: 0, dropped: { queue_overflow: 0 } });
    const starts = ingest.events().filter((event) => event.type === "task.start");
    expect(starts.map((event) => event.name)).toEqual(tasks.map((task) => task.name));
    expect(seqRanks(ingest.events())).toEqual([...Array(122).keys()]);
    // Stamped when called, not when let in: every start carries the time of its call.
    expect(new Set(starts.map((event) => Date.parse(event.ts)))).toEqual(new Set([calledAt]));
  });

  it("keep their events past the byte bound while delivery progresses, and make later awaited calls wait", async () => {
    let release: () => void = () => {};
    let gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const ingest = fakeIngest();
    const fetch: RuntrailOptions["fetch"] = async (url, init) => {
      await gate;
      return ingest.fetch(url, init);
    };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const client = new Runtrail({ baseUrl: "http://runtrail.test", apiKey: "rt_test", fetch, flushIntervalMs: 60_000, maxQueueBytes: 1500 });
    clients.push(client);
    const run = await client.startRun();
    for (let i = 0; i < 9; i++) await run.startTask(`t${i}`, { text: "x".repeat(300) }); // ~450 bytes each, one stretch
    await new Promise((resolve) => setImmediate(resolve)); // encoded: ~4 KB held, past the 1.5 KB bound
    const next = run.startTask("after");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await state(next)).toBe("pending");
    release();
    gate = Promise.resolve();
    await next;
    const report = await client.flush();
    expect(report).toMatchObject({ sent: 11, pending: 0, dropped: { queue_overflow: 0 } });
    expect(ingest.events().map((event) => event.name ?? event.type)).toEqual([
      "run",
      ...Array.from({ length: 9 }, (_, i) => `t${i}`),
      "after",
    ]);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe("when delivery makes no progress", () => {
  it("drops an awaited call's event after maxBlockMs, then at once until delivery gets through, then waits again", async () => {
    vi.useFakeTimers();
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    let down = true;
    const { client, ingest } = makeClient(() => (down ? new TypeError("fetch failed") : undefined), { maxQueueSize: 5, maxBlockMs: 1_000 });
    const run = await client.startRun();
    const a = await run.startTask("a");
    await a.complete();
    const b = await run.startTask("b");
    await b.complete(); // 5 events: full
    const c = run.startTask("c");
    await vi.advanceTimersByTimeAsync(900);
    expect(await state(c)).toBe("pending"); // waiting for room; 900 ms without progress is within maxBlockMs
    await vi.advanceTimersByTimeAsync(200);
    expect(await state(c)).toBe("settled"); // no progress for 1 s: resolved, its event dropped
    const late = (await c).complete(); // stalled: dropped at once, no second wait
    expect(await state(late)).toBe("settled");
    expect((await reportNow(client)).dropped.queue_overflow).toBe(2);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain("no progress for 1000 ms");

    down = false;
    await vi.advanceTimersByTimeAsync(10_000); // the retried batch gets through: progress
    expect(ingest.events().map((event) => event.name ?? event.type)).toEqual(["run", "a", "task.complete", "b", "task.complete"]);
    const d = await run.startTask("d");
    await d.complete();
    await run.complete();
    const flushing = client.flush(1_000);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await flushing).toMatchObject({ sent: 8, pending: 0, dropped: { queue_overflow: 2 } });
  });

  it("drops the events waiting for room at shutdown, and resolves their calls", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client } = makeClient(() => "hang", { maxQueueSize: 3, requestTimeoutMs: 60_000 });
    const run = await client.startRun();
    await run.startTask("a");
    await run.startTask("b"); // full
    const waiting = [run.startTask("c"), run.complete()];
    expect(await state(Promise.race(waiting))).toBe("pending");
    const report = await client.shutdown(50);
    expect(report).toEqual({ sent: 0, pending: 3, dropped: { queue_overflow: 2, payload_too_large: 0, rejected: 0 } });
    await Promise.all(waiting);
  });
});

describe("synchronous calls on a full queue", () => {
  it("log and update never wait: their events are dropped and counted, even while delivery progresses", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client, ingest } = makeClient(acceptLater(5), { maxQueueSize: 3 });
    const run = await client.startRun();
    const task = await run.startTask("a");
    task.log("fits"); // 3 events: full
    task.log("dropped");
    task.update({ progress: 0.5 });
    run.log("dropped too");
    const waiting = task.complete(); // waits for room
    task.log("dropped while a call waits"); // the waiting call comes first
    expect((await client.flush(0)).dropped.queue_overflow).toBe(4);
    await waiting;
    await run.complete();
    expect(await client.flush()).toMatchObject({ sent: 5, pending: 0, dropped: { queue_overflow: 4 } });
    expect(ingest.events().map((event) => event.type)).toEqual(["run.start", "task.start", "task.log", "task.complete", "run.complete"]);
  });
});
