import { describe, expect, it, vi } from "vitest";
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
