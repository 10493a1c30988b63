import { afterEach, describe, expect, it, vi } from "vitest";
import { Runtrail } from "./client.js";
import type { RuntrailOptions } from "./config.js";
import type { DeliveryError } from "./errors.js";
import { acceptAll, fakeIngest, type Reply, seqRanks, type WireEvent } from "./testing/fake-ingest.js";

const clients: Runtrail[] = [];

function makeClient(decide?: (batch: WireEvent[], call: number) => Reply | undefined, options: RuntrailOptions = {}) {
  const ingest = fakeIngest(decide);
  const errors: DeliveryError[] = [];
  const client = new Runtrail({
    baseUrl: "http://runtrail.test",
    apiKey: "rt_test",
    fetch: ingest.fetch,
    flushIntervalMs: 60_000,
    onError: (error) => errors.push(error),
    ...options,
  });
  clients.push(client);
  return { client, ingest, errors };
}

/** Records a run with `tasks` tasks: 2 + 2 × tasks events. */
async function record(client: Runtrail, tasks: number): Promise<void> {
  const run = await client.startRun();
  for (let i = 0; i < tasks; i++) await (await run.startTask(`t${i}`)).complete();
  await run.complete();
}

/** `[0, 1, …, n-1]` when the events arrived in emit (seq) order, each once. */
function seqs(events: WireEvent[]): number[] {
  return seqRanks(events);
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(clients.splice(0).map((client) => client.shutdown(100)));
  vi.restoreAllMocks();
});

describe("batching", () => {
  it("sends a full batch (by count) at once, without waiting for the timer", async () => {
    const { client, ingest } = makeClient(undefined, { maxBatchSize: 5 });
    await record(client, 2); // 6 events
    await vi.waitFor(() => expect(ingest.requests).toHaveLength(1));
    expect(ingest.requests[0]?.batch).toHaveLength(5);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ingest.requests).toHaveLength(1); // the 6th waits for the timer or a flush
    await client.flush();
    expect(ingest.batches.map((batch) => batch.length)).toEqual([5, 1]);
  });

  it("sends at once when maxBatchBytes is reached, and keeps each body under it", async () => {
    const { client, ingest } = makeClient(undefined, { maxBatchBytes: 2000 });
    const run = await client.startRun();
    for (let i = 0; i < 10; i++) await run.startTask(`t${i}`, { text: "x".repeat(300) });
    await vi.waitFor(() => expect(ingest.requests.length).toBeGreaterThanOrEqual(1));
    await client.flush();
    for (const batch of ingest.batches) expect(JSON.stringify({ batch }).length).toBeLessThanOrEqual(2000);
    expect(seqs(ingest.events())).toEqual([...Array(11).keys()]);
  });

  it("never delivers on the caller's await chain: full batches go out on a macrotask", async () => {
    const { client, ingest } = makeClient(undefined, { maxBatchSize: 2 });
    const run = await client.startRun();
    for (let i = 0; i < 5; i++) await (await run.startTask(`t${i}`)).complete(); // 11 events: five full batches
    await Promise.resolve();
    expect(ingest.requests).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve)); // the encode pass ran before this, and started the pump
    expect(ingest.requests.length).toBeGreaterThanOrEqual(1);
    await vi.waitFor(() => expect(ingest.requests).toHaveLength(5));
    expect(await client.flush()).toMatchObject({ sent: 11, pending: 0 });
  });

  it("sends on the interval", async () => {
    const { client, ingest } = makeClient(undefined, { flushIntervalMs: 20 });
    await record(client, 1);
    await vi.waitFor(() => expect(ingest.events()).toHaveLength(4), { timeout: 2000 });
  });
});

describe("retries and drops", () => {
  it("retries 503 and 429 (Retry-After) until delivered, each event once, in order", async () => {
    const { client, ingest, errors } = makeClient(
      (_batch, call) =>
        call === 0 ? { status: 503 } : call === 1 ? { status: 429, headers: { "retry-after": "0" } } : undefined,
      { maxBatchSize: 3 },
    );
    await record(client, 3); // 8 events
    const report = await client.flush();
    expect(report).toMatchObject({ sent: 8, pending: 0 });
    expect(seqs(ingest.events())).toEqual([...Array(8).keys()]);
    expect(errors.map((e) => [e.code, e.willRetry])).toEqual([
      ["server_error", true],
      ["rate_limited", true],
    ]);
  });

  it("drops a batch answered 400 as rejected, tells onError, and goes on", async () => {
    const { client, ingest, errors } = makeClient((_batch, call) =>
      call === 0 ? { status: 400, body: '{"error":{"code":"bad","message":"malformed"}}' } : undefined,
    );
    await record(client, 1);
    expect(await client.flush()).toMatchObject({ sent: 0, pending: 0, dropped: { rejected: 4 } });
    await record(client, 0);
    expect(await client.flush()).toMatchObject({ sent: 2, dropped: { rejected: 4 } });
    expect(ingest.events()).toHaveLength(2);
    expect(errors[0]).toMatchObject({ code: "rejected", status: 400, details: ["malformed"] });
  });

  it("counts per-event rejections of a 207 answer", async () => {
    const { client, errors } = makeClient((batch) => {
      const response = JSON.parse(acceptAll(batch));
      response.results[1] = { index: 1, id: batch[1]?.id, status: "rejected", error: "batch[1].name: required" };
      response.results[2].status = "duplicate";
      return { status: 207, body: JSON.stringify(response) };
    });
    await record(client, 1);
    expect(await client.flush()).toMatchObject({ sent: 3, dropped: { rejected: 1 } });
    expect(errors[0]?.details[0]).toContain("batch[1].name: required");
  });

  it("counts an errors-only answer (?results=errors): conflicts count as sent, rejections are reported with their index", async () => {
    const { client, ingest, errors } = makeClient((batch) => ({
      status: 207,
      body: JSON.stringify({
        results: [
          { index: 1, id: batch[1]?.id, status: "rejected", error: "batch[1].name: required" },
          { index: 3, id: batch[3]?.id, status: "conflict" },
        ],
        accepted: batch.length - 2,
        duplicates: 0,
        conflicts: 1,
        rejected: 1,
        cancelledRuns: [],
      }),
    }));
    await record(client, 2); // 6 events, one batch
    expect(await client.flush()).toMatchObject({ sent: 5, pending: 0, dropped: { rejected: 1 } });
    expect(ingest.requests[0]?.url).toContain("?results=errors");
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ code: "rejected", status: 207, eventCount: 1, willRetry: false });
    expect(errors[0]?.details).toEqual([`batch[1] (event ${ingest.requests[0]?.batch[1]?.id}): batch[1].name: required`]);
  });

  it("splits a batch answered 413, and drops a single event that is still too large", async () => {
    const { client, ingest, errors } = makeClient((batch) =>
      batch.length > 2 || batch.some((e) => e.name === "huge") ? { status: 413 } : undefined,
    );
    await record(client, 3); // 8 events
    const run = await client.startRun();
    await run.startTask("huge");
    await run.complete();
    const report = await client.flush();
    expect(report).toMatchObject({ sent: 10, pending: 0, dropped: { payload_too_large: 1 } });
    expect(ingest.batches.every((batch) => batch.length <= 2)).toBe(true);
    expect(seqs(ingest.events().filter((e) => e.runId !== run.id))).toEqual([...Array(8).keys()]);
    expect(errors.map((e) => e.code)).toEqual(["payload_too_large"]);
  });

  it("applies the byte bound to logs when they are encoded, off the caller's path", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client, ingest } = makeClient(undefined, { maxQueueBytes: 1500 });
    const run = await client.startRun();
    for (let i = 0; i < 9; i++) run.log(`line ${i}`, { attributes: { text: "x".repeat(300) } }); // ~400 bytes each
    expect(warn).not.toHaveBeenCalled(); // nothing measured yet: the recording calls only queued references
    await new Promise((resolve) => setImmediate(resolve));
    expect(warn).toHaveBeenCalledTimes(1);
    const report = await client.flush();
    expect(report.dropped.queue_overflow).toBeGreaterThanOrEqual(6);
    expect(report.sent + report.dropped.queue_overflow).toBe(10);
    expect(ingest.events()[0]?.type).toBe("run.start");
    expect(seqs(ingest.events())).toEqual([...Array(report.sent).keys()]);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("bounds the queue: with no progress for maxBlockMs, drops and counts new events, warns once", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const { client, ingest } = makeClient(() => "hang", { maxQueueSize: 5, requestTimeoutMs: 60_000, maxBlockMs: 100 });
    await record(client, 4); // 10 events; the server never answers
    expect(await client.flush(50)).toEqual({
      sent: 0,
      pending: 5,
      dropped: { queue_overflow: 5, payload_too_large: 0, rejected: 0 },
    });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(seqs(ingest.requests[0]?.batch ?? [])).toEqual([0, 1, 2, 3, 4]);
    expect(ingest.requests[0]?.batch.map((e) => e.type)).toEqual(["run.start", "task.start", "task.complete", "task.start", "task.complete"]);
    expect(await client.shutdown(50)).toMatchObject({ pending: 5 });
  });
});

describe("server down for a whole run", () => {
  it("keeps the queue under its byte cap, counts the drops, adds no heartbeats, and delivers the rest later", async () => {
    vi.useFakeTimers();
    vi.spyOn(console, "warn").mockImplementation(() => {});
    let down = true;
    const { client, ingest } = makeClient(() => (down ? new TypeError("fetch failed") : undefined), {
      maxQueueBytes: 3000,
      flushIntervalMs: 100,
      heartbeatIntervalMs: 1000,
    });
    const run = await client.startRun(); // stays open: heartbeats would be due
    for (let i = 0; i < 40; i++) await (await run.startTask(`t${i}`)).complete(); // 81 events of ~150 bytes
    await vi.advanceTimersByTimeAsync(20_000); // 20 heartbeat ticks, many retries
    const flushing = client.flush(10);
    await vi.advanceTimersByTimeAsync(10);
    const report = await flushing;
    expect(report.sent).toBe(0);
    expect(report.dropped.queue_overflow).toBeGreaterThan(40);
    expect(report.pending + report.dropped.queue_overflow).toBe(81); // no heartbeat was queued

    down = false;
    await vi.advanceTimersByTimeAsync(60_000); // the longest backoff is 5 s
    await run.complete();
    const after = client.flush(10);
    await vi.advanceTimersByTimeAsync(10);
    expect(await after).toMatchObject({ pending: 0 });
    const held = ingest.events().filter((e) => e.type !== "run.heartbeat" && e.type !== "run.complete");
    expect(held).toHaveLength(report.pending);
    expect(held.reduce((sum, event) => sum + JSON.stringify(event).length, 0)).toBeLessThanOrEqual(3000);
    vi.useRealTimers();
  });
});
