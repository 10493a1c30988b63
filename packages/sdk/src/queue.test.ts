import { describe, expect, it, vi } from "vitest";
import { EventQueue } from "./queue.js";

const limits = { maxQueueSize: 100, maxQueueBytes: 10_000, maxBatchSize: 3, maxBatchBytes: 1000 };

function event(n: number, pad = 0): string {
  return JSON.stringify({ n, pad: "x".repeat(pad) });
}

describe("EventQueue", () => {
  it("keeps order and takes batches by count from the head", () => {
    const queue = new EventQueue(limits);
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
    expect(queue.accepted).toBe(7);
  });

  it("cuts batches by bytes, but always takes at least one event", () => {
    const queue = new EventQueue({ ...limits, maxBatchSize: 100, maxBatchBytes: 300 });
    queue.push(event(0, 500)); // larger than a batch on its own
    queue.push(event(1, 100));
    queue.push(event(2, 100));
    queue.push(event(3, 100));
    expect(queue.isBatchReady()).toBe(true);
    expect(queue.peekBatch().map((e) => JSON.parse(e).n)).toEqual([0]);
    queue.remove(1);
    const batch = queue.peekBatch();
    expect(batch.map((e) => JSON.parse(e).n)).toEqual([1, 2]);
    const body = `{"batch":[${batch.join(",")}]}`;
    expect(body.length).toBeLessThanOrEqual(300);
  });

  it("counts bytes as UTF-8", () => {
    const queue = new EventQueue(limits);
    queue.push('"é€😀"');
    expect(queue.byteSize).toBe(2 + 2 + 3 + 4);
  });

  it("drops new events past the count bound, counts them and warns once until reported", () => {
    const warn = vi.fn();
    const queue = new EventQueue({ ...limits, maxQueueSize: 5 }, warn);
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

  it("drops new events past the byte bound", () => {
    const warn = vi.fn();
    const queue = new EventQueue({ ...limits, maxQueueBytes: 250 }, warn);
    expect(queue.push(event(0, 100))).toBe(true);
    expect(queue.push(event(1, 100))).toBe(true);
    expect(queue.push(event(2, 100))).toBe(false);
    expect(queue.push(event(3))).toBe(true); // a small one still fits
    expect(queue.report().dropped.queue_overflow).toBe(1);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it("stays in order across many pushes and removals (compaction)", () => {
    const queue = new EventQueue({ maxQueueSize: 100_000, maxQueueBytes: 1e9, maxBatchSize: 7, maxBatchBytes: 1e6 });
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
