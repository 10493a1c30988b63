import { afterEach, describe, expect, it, vi } from "vitest";
import type { QueueLimits } from "./queue.js";
import { EventQueue } from "./queue.js";

const limits = { maxQueueSize: 100, maxQueueBytes: 10_000, maxBatchSize: 3, maxBatchBytes: 1000 };

/** A queue of ready-made JSON strings (the client's holds PendingEvents and encodes them). */
function stringQueue(queueLimits = limits, warn?: (message: string) => void): EventQueue<string> {
  return new EventQueue<string>(queueLimits, (json) => json, warn);
}

function event(n: number, pad = 0): string {
  return JSON.stringify({ n, pad: "x".repeat(pad) });
}

describe("EventQueue", () => {
  it("keeps order and takes batches by count from the head", () => {
    const queue = stringQueue();
    for (let i = 0; i < 7; i++) queue.push(event(i));
    expect(queue.isBatchReady()).toBe(true);
    const first = queue.peekBatch();
    expect(first.map((e) => JSON.parse(e).n)).toEqual([0, 1, 2]);
    // Peeking does not remove: a retried batch keeps its place.
    expect(queue.peekBatch()).toEqual(first);
    queue.remove(first.length);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([3, 4, 5]);
    queue.remove(3);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([6]);
    expect(queue.isBatchReady()).toBe(false);
    queue.remove(1);
    expect(queue.length).toBe(0);
    expect(queue.byteSize).toBe(0);
    expect(queue.removed).toBe(7);
    expect([queue.pushed, queue.headPosition]).toEqual([7, 7]);
  });

  it("cuts batches by bytes, but always takes at least one event", () => {
    const queue = stringQueue({ ...limits, maxBatchSize: 100, maxBatchBytes: 300 });
    queue.push(event(0, 500)); // larger than a batch on its own
    queue.push(event(1, 100));
    queue.push(event(2, 100));
    queue.push(event(3, 100));
    expect(queue.isBatchReady()).toBe(false); // bytes are known once encoded
    queue.encode();
    expect(queue.isBatchReady()).toBe(true);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0]);
    queue.remove(1);
    const batch = queue.peekBatch();
    expect(batch.map((e) => JSON.parse(e).n)).toEqual([1, 2]);
    const body = `{"batch":[${batch.join(",")}]}`;
    expect(body.length).toBeLessThanOrEqual(300);
  });

  it("counts bytes as UTF-8", () => {
    const queue = stringQueue();
    queue.push('"é€😀"');
    queue.encode();
    expect(queue.byteSize).toBe(2 + 2 + 3 + 4);
  });

  it("drops new events past the count bound, counts them and warns once until reported", () => {
    const warn = vi.fn();
    const queue = stringQueue({ ...limits, maxQueueSize: 5 }, warn);
    for (let i = 0; i < 9; i++) queue.push(event(i));
    expect(queue.length).toBe(5);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0, 1, 2]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toContain("queue full");
    const report = queue.report();
    expect(report).toEqual({ sent: 0, pending: 5, dropped: { queue_overflow: 4, payload_too_large: 0, rejected: 0 } });
    queue.push(event(10));
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]?.[0]).toContain('"queue_overflow":5');
  });

  it("drops events past the byte bound when they are encoded, keeping the order of the rest", () => {
    const warn = vi.fn();
    const queue = stringQueue({ ...limits, maxQueueBytes: 250 }, warn);
    expect(queue.push(event(0, 100))).toBe(true);
    expect(queue.push(event(1, 100))).toBe(true);
    expect(queue.push(event(2, 100))).toBe(true); // its size is not known yet
    expect(queue.push(event(3))).toBe(true);
    expect([queue.length, queue.unencoded, queue.byteSize]).toEqual([4, 4, 0]);
    queue.encode();
    expect([queue.length, queue.unencoded]).toEqual([3, 0]);
    expect(queue.byteSize).toBeLessThanOrEqual(250);
    expect(queue.report().dropped.queue_overflow).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0, 1, 3]); // a small one still fits
  });

  it("encodes lazily, once per event, in order across encoded and unencoded events", () => {
    const encode = vi.fn((n: number) => event(n));
    const queue = new EventQueue<number>(limits, encode);
    queue.push(0);
    queue.push(1);
    expect(encode).not.toHaveBeenCalled();
    queue.encode();
    queue.push(2);
    expect(encode.mock.calls.map((call) => call[0])).toEqual([0, 1]);
    expect([queue.pushed, queue.unencoded, queue.length]).toEqual([3, 1, 3]);
    // A batch is never built from unencoded events: peekBatch encodes first.
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0, 1, 2]);
    expect(encode).toHaveBeenCalledTimes(3);
    queue.remove(3);
    expect(queue.peekBatch()).toEqual([]);
  });

  it("encodes one batch ahead when building a batch, and tracks positions across drops", () => {
    const encode = vi.fn((n: number) => event(n, n === 4 ? 300 : 0));
    const queue = new EventQueue<number>({ ...limits, maxQueueBytes: 200 }, encode, () => {});
    for (let i = 0; i < 8; i++) queue.push(i);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0, 1, 2]);
    expect(encode).toHaveBeenCalledTimes(3); // the rest stays unencoded until needed
    expect([queue.headPosition, queue.unencoded]).toEqual([0, 5]);
    queue.remove(3);
    expect(queue.headPosition).toBe(3);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([3, 5, 6]); // 4 is too big for the queue: dropped
    expect(queue.report().dropped.queue_overflow).toBe(1);
    expect(queue.headPosition).toBe(3);
    queue.remove(3);
    expect(queue.headPosition).toBe(7); // past the dropped one too
    queue.remove(queue.peekBatch().length);
    expect([queue.headPosition, queue.pushed, queue.length]).toEqual([8, 8, 0]);
  });

  it("stays in order across many pushes and removals (compaction)", () => {
    const queue = stringQueue({ maxQueueSize: 100_000, maxQueueBytes: 1e9, maxBatchSize: 7, maxBatchBytes: 1e6 });
    const seen: number[] = [];
    let next = 0;
    for (let round = 0; round < 2000; round++) {
      for (let i = 0; i < 5; i++) queue.push(event(next++));
      const batch = queue.peekBatch();
      for (const e of batch) seen.push(JSON.parse(e).n);
      queue.remove(batch.length);
    }
    while (queue.length > 0) {
      const batch = queue.peekBatch();
      for (const e of batch) seen.push(JSON.parse(e).n);
      queue.remove(batch.length);
    }
    expect(seen).toEqual(Array.from({ length: next }, (_, i) => i));
  });
});

/** A queue of JSON strings whose events of awaited calls are those with `"awaited":true`. */
function waitingQueue(queueLimits: QueueLimits, warn: (message: string) => void = () => {}) {
  const queue = new EventQueue<string>(queueLimits, (json) => json, warn, (json) => json.includes('"awaited":true'));
  const woken = vi.fn();
  queue.wake = woken;
  return { queue, woken };
}

function awaitedEvent(n: number, pad = 0): string {
  return JSON.stringify({ n, awaited: true, pad: "x".repeat(pad) });
}

/** Takes one batch off the head, as delivery does once it is sent: progress. */
function deliverOne(queue: EventQueue<string>): number[] {
  const batch = queue.peekBatch();
  queue.remove(batch.length);
  return batch.map((e) => JSON.parse(e).n);
}

async function settled(promise: Promise<void> | undefined): Promise<boolean> {
  if (promise === undefined) return true;
  let done = false;
  void promise.then(() => {
    done = true;
  });
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return done;
}

describe("EventQueue backpressure", () => {
  const small = { maxQueueSize: 3, maxQueueBytes: 10_000, maxBatchSize: 2, maxBatchBytes: 1000, maxBlockMs: 1000 };

  afterEach(() => {
    vi.useRealTimers();
  });

  it("queues an awaited call's event at once while there is room, and makes it wait when full", async () => {
    const { queue, woken } = waitingQueue(small);
    expect([queue.pushAwaited(awaitedEvent(0)), queue.pushAwaited(awaitedEvent(1)), queue.pushAwaited(awaitedEvent(2))]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect(woken).toHaveBeenCalledTimes(1); // the first unencoded event
    const fourth = queue.pushAwaited(awaitedEvent(3));
    const fifth = queue.pushAwaited(awaitedEvent(4));
    expect(fourth).toBeInstanceOf(Promise);
    expect(woken).toHaveBeenCalledTimes(2); // a caller waits: delivery must run
    expect([queue.length, queue.waiting, queue.full, queue.report().pending]).toEqual([3, 2, true, 5]);
    expect(await settled(fourth)).toBe(false);

    expect(deliverOne(queue)).toEqual([0, 1]); // room for two: both let in, oldest first
    expect([await settled(fourth), await settled(fifth)]).toEqual([true, true]);
    expect([queue.length, queue.waiting, queue.pushed]).toEqual([3, 0, 5]);
    const rest = [...deliverOne(queue), ...deliverOne(queue)];
    expect(rest).toEqual([2, 3, 4]);
    expect(queue.report().dropped.queue_overflow).toBe(0);
  });

  it("drops a synchronous call's event while callers wait, even when a slot is free", () => {
    const { queue } = waitingQueue({ ...small, maxQueueBytes: 40 });
    queue.pushAwaited(awaitedEvent(0, 50));
    queue.encode(); // past the byte bound: an awaited event is kept
    expect(queue.byteSize).toBeGreaterThan(40);
    expect(queue.pushAwaited(awaitedEvent(1))).toBeInstanceOf(Promise);
    expect(queue.push(event(2))).toBe(false);
    expect([queue.length, queue.waiting, queue.report().dropped.queue_overflow]).toEqual([1, 1, 1]);
  });

  it("after maxBlockMs without progress drops the waiting events, then every event that finds no room, until delivery progresses", async () => {
    vi.useFakeTimers();
    const warn = vi.fn();
    const { queue } = waitingQueue(small, warn);
    for (let i = 0; i < 3; i++) queue.pushAwaited(awaitedEvent(i));
    const waiting = queue.pushAwaited(awaitedEvent(3));
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
    expect([queue.waiting, queue.report().dropped.queue_overflow]).toEqual([0, 1]);
    expect(warn.mock.calls[0]?.[0]).toContain("no progress for 1000 ms");
    expect(queue.pushAwaited(awaitedEvent(4))).toBeUndefined(); // stalled: dropped at once
    expect(queue.report().dropped.queue_overflow).toBe(2);

    deliverOne(queue); // progress: waiting again
    queue.pushAwaited(awaitedEvent(5));
    queue.pushAwaited(awaitedEvent(6));
    expect(queue.pushAwaited(awaitedEvent(7))).toBeInstanceOf(Promise);
    expect(queue.report().dropped.queue_overflow).toBe(2);
  });

  it("counts the time without progress from the last progress: a slow but moving delivery never drops", async () => {
    vi.useFakeTimers();
    const { queue } = waitingQueue({ ...small, maxBatchSize: 1 });
    for (let i = 0; i < 3; i++) queue.pushAwaited(awaitedEvent(i));
    const waiting = [queue.pushAwaited(awaitedEvent(3)), queue.pushAwaited(awaitedEvent(4)), queue.pushAwaited(awaitedEvent(5))];
    for (let step = 0; step < 3; step++) {
      await vi.advanceTimersByTimeAsync(900); // each event takes 0.9 s: 2.7 s in all, past maxBlockMs
      deliverOne(queue);
    }
    expect(await Promise.all(waiting.map(settled))).toEqual([true, true, true]);
    expect(queue.report().dropped.queue_overflow).toBe(0);
    expect([queue.length, queue.pushed]).toEqual([3, 6]);
  });

  it("with maxBlockMs 0 never waits: an awaited call's event is dropped like any other", () => {
    const { queue } = waitingQueue({ ...small, maxBlockMs: 0, maxQueueBytes: 40 });
    for (let i = 0; i < 3; i++) queue.pushAwaited(awaitedEvent(i));
    expect(queue.pushAwaited(awaitedEvent(3))).toBeUndefined();
    expect(queue.report().dropped.queue_overflow).toBe(1);
    queue.encode(); // and past the byte bound too
    expect(queue.byteSize).toBeLessThanOrEqual(40);
  });

  it("drops the waiting events when closed, and then ignores everything without counting it", async () => {
    const { queue } = waitingQueue(small);
    for (let i = 0; i < 3; i++) queue.pushAwaited(awaitedEvent(i));
    const waiting = [queue.pushAwaited(awaitedEvent(3)), queue.pushAwaited(awaitedEvent(4))];
    queue.close();
    expect(await Promise.all(waiting.map(settled))).toEqual([true, true]);
    expect(queue.report()).toMatchObject({ pending: 3, dropped: { queue_overflow: 2 } });
    expect([queue.push(event(5)), queue.pushAwaited(awaitedEvent(6))]).toEqual([false, undefined]);
    expect(queue.report()).toMatchObject({ pending: 3, dropped: { queue_overflow: 2 } });
  });

  it("keeps awaited events past the byte bound, and when stalled sheds the newest, never the batch in flight", async () => {
    vi.useFakeTimers();
    const { queue } = waitingQueue({ maxQueueSize: 100, maxQueueBytes: 300, maxBatchSize: 100, maxBatchBytes: 10_000, maxBlockMs: 1000 });
    for (let i = 0; i < 6; i++) queue.pushAwaited(awaitedEvent(i, 80)); // ~110 bytes each
    queue.push(event(6, 80)); // a log: dropped at the bound
    queue.encode();
    expect(queue.report().dropped.queue_overflow).toBe(1);
    expect(queue.byteSize).toBeGreaterThan(600);
    expect(queue.isBatchReady()).toBe(true); // past the bound: send now
    const inFlight = queue.peekBatch(); // a batch never holds more than the bound
    expect(inFlight.map((e) => JSON.parse(e).n)).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1000); // no progress: stall
    expect(queue.byteSize).toBeLessThanOrEqual(300);
    expect(queue.report()).toMatchObject({ pending: 2, dropped: { queue_overflow: 5 } });
    queue.remove(inFlight.length); // the batch got through after all
    expect([queue.length, queue.headPosition, queue.pushed]).toEqual([0, 7, 7]);
  });
});
