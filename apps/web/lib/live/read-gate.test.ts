import { describe, expect, it } from "vitest";
import { gatedRead, setStreamReadLimit } from "./read-gate";

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("stream read gate", () => {
  it("runs at most `limit` reads at once, first come first served, and frees slots on failure", async () => {
    setStreamReadLimit(2);
    let active = 0;
    let most = 0;
    const order: number[] = [];
    const releases: (() => void)[] = [];
    const read = (n: number, fail = false) =>
      gatedRead(async () => {
        active += 1;
        most = Math.max(most, active);
        order.push(n);
        await new Promise<void>((resolve) => releases.push(resolve));
        active -= 1;
        if (fail) throw new Error(`read ${n} failed`);
        return n;
      });
    const results = [read(1, true), read(2), read(3), read(4), read(5)].map((p) => p.catch((e: Error) => e.message));
    for (let i = 0; i < 5; i++) await tick();
    expect(order).toEqual([1, 2]);
    for (let step = 0; step < 4; step++) {
      releases.shift()?.();
      for (let i = 0; i < 5; i++) await tick();
    }
    releases.shift()?.();
    expect(await Promise.all(results)).toEqual(["read 1 failed", 2, 3, 4, 5]);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(most).toBe(2);
    // Every slot is free again: two reads start at once.
    const again = [read(6), read(7)];
    for (let i = 0; i < 3; i++) await tick();
    expect(active).toBe(2);
    for (const release of releases.splice(0)) release();
    expect(await Promise.all(again)).toEqual([6, 7]);
  });
});
