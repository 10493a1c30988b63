import { env } from "../env";
import { apiError } from "./responses";

/**
 * Token buckets, one per API key, in this process's memory: each key earns
 * `perSecond` tokens a second up to `burst`, and each request spends one. Replicas
 * each keep their own buckets (see docs/architecture.md), so a key's real ceiling is
 * the limit times the number of processes it reaches.
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

// Route handlers may be separate bundles, each with its own copy of this module: one
// limiter per process, on globalThis, or each route would get a budget of its own.
const slot = globalThis as typeof globalThis & { __runtrailRateLimiter?: RateLimiter };
slot.__runtrailRateLimiter ??= new RateLimiter(env.rateLimit.perSecond, env.rateLimit.burst);
const limiter: RateLimiter = slot.__runtrailRateLimiter;

/** Spends one request of the key's budget (by key id): null when allowed, else the 429 answer with `Retry-After` (seconds). */
export function rateLimit(keyId: string): Response | null {
  const taken = limiter.take(keyId, Date.now());
  if (taken.ok) return null;
  const seconds = Math.max(1, Math.ceil(taken.retryAfterMs / 1000));
  const { perSecond, burst } = limiter;
  return apiError(
    429,
    "rate_limited",
    `rate limit: ${perSecond} requests per second per API key (bursts of ${burst}) on this server; retry after ${seconds} s`,
    { headers: { "retry-after": String(seconds) }, details: { limit: { perSecond, burst }, retryAfterSeconds: seconds } },
  );
}
