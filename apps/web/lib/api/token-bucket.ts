/**
 * Token buckets in this process's memory: each key earns `perSecond` tokens a second
 * up to `burst`, and each request spends one. The store of the rate limits on PGlite,
 * which is one process (lib/api/rate-limit.ts); on Postgres, shared-buckets.ts.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    readonly perSecond: number,
    readonly burst: number,
    /** Past this many buckets, full ones (idle keys) are forgotten: a full bucket is the same as none. */
    private readonly maxIdle = 10_000,
  ) {}

  /** Spends a token of `key`; when none is left, how long until one is (ms). */
  take(key: string, now: number): { ok: true } | { ok: false; retryAfterMs: number } {
    if (this.perSecond <= 0) return { ok: true };
    const bucket = this.buckets.get(key);
    const tokens = bucket ? Math.min(this.burst, bucket.tokens + ((now - bucket.at) * this.perSecond) / 1000) : this.burst;
    if (tokens < 1) {
      if (bucket) {
        bucket.tokens = tokens;
        bucket.at = now;
      }
      return { ok: false, retryAfterMs: ((1 - tokens) * 1000) / this.perSecond };
    }
    if (bucket) {
      bucket.tokens = tokens - 1;
      bucket.at = now;
    } else {
      if (this.buckets.size >= this.maxIdle) this.forgetFull(now);
      this.buckets.set(key, { tokens: tokens - 1, at: now });
    }
    return { ok: true };
  }

  get size(): number {
    return this.buckets.size;
  }

  private forgetFull(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((now - b.at) * this.perSecond) / 1000 >= this.burst) this.buckets.delete(key);
    }
  }
}
