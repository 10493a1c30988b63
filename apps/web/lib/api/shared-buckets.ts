import type { TokensTaken, TokenTake } from "@runtrail/db";
import { LRUCache } from "lru-cache";

export type Taken = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Token buckets shared by every replica through Postgres (`rate_limit_buckets`, one
 * upsert per take: packages/db/src/queries/rate-limits.ts), spent through a small
 * local *allowance*: a process takes up to `allowance` tokens at once (a tenth of a
 * second of the rate, at most a twentieth of the burst, at least one) and spends them
 * in memory for up to `leaseMs`, so a busy key costs one statement per allowance, not
 * per request (at the default 1,000/s and burst 2,000: one per 100 requests), and a
 * key with a small limit is exact (an allowance of one: a statement per request).
 *
 * Nothing is handed out twice: every token spent came from the shared bucket. What an
 * allowance costs is the other way round: tokens a process holds are not available to
 * the others for up to `leaseMs` (then they are dropped), so a key spread over N
 * replicas may be refused up to N × allowance tokens early. A refusal is remembered
 * until the bucket's next token is due, so a client hammering a spent key costs no
 * statements until then.
 */
interface Allowance {
  tokens: number;
  until: number;
  refusedUntil: number;
  pending?: Promise<unknown>;
}

export class SharedBuckets {
  readonly allowance: number;
  private readonly allowances: LRUCache<string, Allowance>;

  constructor(
    private readonly takeShared: (take: TokenTake) => Promise<TokensTaken>,
    readonly perSecond: number,
    readonly burst: number,
    private readonly leaseMs = 1_000,
  ) {
    this.allowance = Math.max(1, Math.min(Math.floor(perSecond / 10), Math.floor(burst / 20)));
    this.allowances = new LRUCache({ max: 10_000 });
  }

  async take(key: string): Promise<Taken> {
    if (this.perSecond <= 0) return { ok: true };
    const held = this.allowances.get(key);
    if (held) {
      const local = spend(held, Date.now());
      if (local) return local;
      // Another request of this process is asking already: its allowance may cover this one too.
      if (held.pending) {
        await held.pending.catch(() => {});
        const after = spend(held, Date.now());
        if (after) return after;
      }
    }
    return this.refill(key, held);
  }

  private async refill(key: string, held: Allowance | undefined): Promise<Taken> {
    const allowance = held ?? { tokens: 0, until: 0, refusedUntil: 0 };
    if (!held) this.allowances.set(key, allowance);
    const asked = this.takeShared({ key, perSecond: this.perSecond, burst: this.burst, want: this.allowance });
    allowance.pending = asked;
    try {
      const got = await asked;
      const now = Date.now();
      if (got.granted >= 1) {
        // This request spends one; the rest is the process's allowance for a while.
        allowance.tokens = (allowance.until > now ? allowance.tokens : 0) + got.granted - 1;
        allowance.until = now + this.leaseMs;
        allowance.refusedUntil = 0;
        return { ok: true };
      }
      const waitMs = Math.max(1, Math.ceil(((1 - got.tokens) * 1000) / this.perSecond));
      allowance.refusedUntil = now + waitMs;
      return { ok: false, retryAfterMs: waitMs };
    } finally {
      if (allowance.pending === asked) allowance.pending = undefined;
    }
  }
}

function spend(allowance: Allowance, now: number): Taken | null {
  if (allowance.tokens >= 1 && allowance.until > now) {
    allowance.tokens -= 1;
    return { ok: true };
  }
  if (allowance.refusedUntil > now) return { ok: false, retryAfterMs: allowance.refusedUntil - now };
  return null;
}
