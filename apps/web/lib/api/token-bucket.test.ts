import { describe, expect, it } from "vitest";
import { RateLimiter } from "./token-bucket";

describe("RateLimiter", () => {
  it("lets a key spend its burst at once, then one request per 1/rate seconds", () => {
    const limiter = new RateLimiter(10, 3);
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => limiter.take("k", t0).ok)).toEqual([true, true, true]);
    const refused = limiter.take("k", t0);
    expect(refused).toEqual({ ok: false, retryAfterMs: 100 });
    expect(limiter.take("k", t0 + 50)).toEqual({ ok: false, retryAfterMs: 50 });
    expect(limiter.take("k", t0 + 100).ok).toBe(true);
    expect(limiter.take("k", t0 + 100).ok).toBe(false);
    // Another key has its own bucket.
    expect(limiter.take("other", t0).ok).toBe(true);
    // Idle time refills up to the burst, not beyond.
    expect([1, 2, 3, 4].map(() => limiter.take("k", t0 + 60_000).ok)).toEqual([true, true, true, false]);
  });

  it("sustains exactly the rate over time", () => {
    const limiter = new RateLimiter(50, 5);
    let allowed = 0;
    // 10 s of a client asking every millisecond.
    for (let ms = 0; ms < 10_000; ms++) if (limiter.take("k", ms).ok) allowed++;
    expect(allowed).toBeGreaterThanOrEqual(500);
    expect(allowed).toBeLessThanOrEqual(505);
  });

  it("takes a fractional rate: 0.1 a second is one request every ten seconds", () => {
    const limiter = new RateLimiter(0.1, 1);
    expect(limiter.take("k", 0).ok).toBe(true);
    expect(limiter.take("k", 0)).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(limiter.take("k", 9_000).ok).toBe(false);
    expect(limiter.take("k", 10_000).ok).toBe(true);
  });

  it("is off at rate 0, and forgets idle keys rather than growing without bound", () => {
    const off = new RateLimiter(0, 1);
    for (let i = 0; i < 100; i++) expect(off.take("k", 0).ok).toBe(true);
    const limiter = new RateLimiter(1, 1, 100);
    for (let i = 0; i < 100; i++) limiter.take(`key-${i}`, 0);
    expect(limiter.size).toBe(100);
    // Two seconds later every bucket is full again: adding one more forgets them.
    limiter.take("late", 2000);
    expect(limiter.size).toBe(1);
    expect(limiter.take("late", 2000).ok).toBe(false);
  });
});
