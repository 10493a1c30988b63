import { afterEach, describe, expect, it, vi } from "vitest";
import { WaitingRoom } from "./waiting-room.js";

afterEach(() => {
  vi.useRealTimers();
});

describe("WaitingRoom", () => {
  it("lets waiting events out oldest first, each caller resolved when told", async () => {
    const room = new WaitingRoom<string>(1000, () => {});
    const order: string[] = [];
    const waits = ["a", "b", "c"].map((item) => room.enter(item).then(() => order.push(item)));
    expect(room.size).toBe(3);
    const first = room.next();
    expect(first?.item).toBe("a");
    await Promise.resolve();
    expect(order).toEqual([]); // taken, not yet resolved: the queue appends it first
    first?.resolve();
    expect(room.next()?.item).toBe("b");
    expect(room.dropAll()).toBe(1);
    await Promise.all(waits.filter((_, i) => i !== 1));
    expect(order).toEqual(["a", "c"]);
    expect([room.size, room.next()]).toEqual([0, undefined]);
  });

  it("stalls once maxBlockMs pass without progress, counted from the watch's start or the last progress", async () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    const room = new WaitingRoom<string>(1000, onStall);
    void room.enter("a");
    room.watch(true);
    await vi.advanceTimersByTimeAsync(600);
    room.progress(Date.now()); // delivery moved: the clock starts over
    await vi.advanceTimersByTimeAsync(999);
    expect([onStall.mock.calls.length, room.stalled, room.dropping]).toEqual([0, false, false]);
    await vi.advanceTimersByTimeAsync(1);
    expect([onStall.mock.calls.length, room.stalled, room.dropping]).toEqual([1, true, true]);
    room.progress(Date.now());
    expect(room.dropping).toBe(false);
  });

  it("stops watching when nothing needs it, and never waits with maxBlockMs 0", async () => {
    vi.useFakeTimers();
    const onStall = vi.fn();
    const room = new WaitingRoom<string>(1000, onStall);
    room.watch(true);
    room.watch(false);
    await vi.advanceTimersByTimeAsync(5000);
    expect(onStall).not.toHaveBeenCalled();
    expect(new WaitingRoom<string>(0, onStall).dropping).toBe(true);
  });
});
