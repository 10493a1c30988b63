import type { TokensTaken, TokenTake } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { SharedBuckets } from "./shared-buckets";

/** A stand-in for the shared table: one bucket per key that never refills. */
function store(tokens: number) {
  const left = new Map<string, number>();
  const calls: TokenTake[] = [];
  const take = async (t: TokenTake): Promise<TokensTaken> => {
    calls.push(t);
    await new Promise((r) => setTimeout(r, 1));
    const have = left.get(t.key) ?? tokens;
    const granted = Math.min(t.want, Math.floor(have));
    left.set(t.key, have - granted);
    return { granted, tokens: have - granted };
  };
  return { take, calls };
}

describe("SharedBuckets", () => {
  it("takes an allowance of a tenth of a second's rate (at most a twentieth of the burst, at least one)", () => {
    const { take } = store(0);
    expect(new SharedBuckets(take, 1000, 2000).allowance).toBe(100);
    expect(new SharedBuckets(take, 1000, 200).allowance).toBe(10);
    expect(new SharedBuckets(take, 4, 4).allowance).toBe(1);
    expect(new SharedBuckets(take, 0.01, 1).allowance).toBe(1);
  });

  it("spends its allowance locally: one statement per allowance, none for requests it covers", async () => {
    const shared = store(2000);
    const buckets = new SharedBuckets(shared.take, 1000, 2000);
    for (let i = 0; i < 250; i++) expect((await buckets.take("k")).ok).toBe(true);
    expect(shared.calls).toHaveLength(3);
    // Requests that arrive while one is asking wait for it rather than asking too.
    const other = await Promise.all(Array.from({ length: 50 }, () => buckets.take("other")));
    expect(other.every((t) => t.ok)).toBe(true);
    expect(shared.calls.filter((c) => c.key === "other")).toHaveLength(1);
  });

  it("never hands out more than the shared bucket gave, and remembers a refusal until the next token is due", async () => {
    const shared = store(5);
    const buckets = new SharedBuckets(shared.take, 2, 5);
    const taken = await Promise.all(Array.from({ length: 12 }, () => buckets.take("k")));
    expect(taken.filter((t) => t.ok)).toHaveLength(5);
    const refused = taken.find((t) => !t.ok);
    expect(refused && !refused.ok && refused.retryAfterMs).toBe(500);
    const before = shared.calls.length;
    expect((await buckets.take("k")).ok).toBe(false);
    expect(shared.calls.length).toBe(before);
  });

  it("drops an allowance it did not spend in time", async () => {
    const shared = store(1000);
    const buckets = new SharedBuckets(shared.take, 100, 1000, 5);
    await buckets.take("k");
    await new Promise((r) => setTimeout(r, 20));
    await buckets.take("k");
    expect(shared.calls).toHaveLength(2);
  });
});
