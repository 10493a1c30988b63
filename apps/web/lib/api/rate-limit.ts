import { purgeFullBuckets, takeTokens } from "@runtrail/db";
import { env } from "../env";
import { processPromise } from "../process-singleton";
import { ready } from "../store";
import { apiError } from "./responses";
import { SharedBuckets, type Taken } from "./shared-buckets";
import { RateLimiter } from "./token-bucket";

/**
 * The rate limits, each a token bucket per key:
 * - `api`: every request authenticated by an API key, per key
 *   (RUNTRAIL_RATE_LIMIT_PER_SECOND, bursts of RUNTRAIL_RATE_LIMIT_BURST);
 * - `badKey`: wrong API keys per client address (RUNTRAIL_BAD_KEY_LIMIT a minute);
 * - `keyCreation`: keys made in the dashboard per project (60 an hour).
 *
 * On Postgres the buckets are shared by every replica (shared-buckets.ts: one short
 * upsert per allowance); on PGlite, which is one process, they live in memory
 * (token-bucket.ts) and cost nothing.
 */

interface Limit {
  perSecond: number;
  burst: number;
}

const LIMITS = {
  api: { perSecond: env.rateLimit.perSecond, burst: env.rateLimit.burst },
  badKey: { perSecond: env.badKeyLimit / 60, burst: Math.max(1, Math.ceil(env.badKeyLimit)) },
  keyCreation: { perSecond: 60 / 3600, burst: 60 },
} satisfies Record<string, Limit>;

type Kind = keyof typeof LIMITS;
type Limiter = { shared: boolean; take(key: string): Promise<Taken> };

// One set of limiters per process, or each route's bundle would get a budget of its own.
function limiters(): Promise<Record<Kind, Limiter>> {
  return processPromise("limiters", () => ready().then(({ store }) => {
    const make = (kind: Kind): Limiter => {
      const { perSecond, burst } = LIMITS[kind];
      if (store.kind === "pglite") {
        const memory = new RateLimiter(perSecond, burst);
        return { shared: false, take: async (key) => memory.take(key, Date.now()) };
      }
      const shared = new SharedBuckets((t) => takeTokens(store.db, t), perSecond, burst);
      return { shared: true, take: (key) => shared.take(`${kind}:${key}`) };
    };
    if (store.kind !== "pglite") {
      // A full bucket is the same as none: drop them now and then.
      const purge = setInterval(() => void purgeFullBuckets(store.db).catch(() => {}), 10 * 60_000);
      purge.unref();
    }
    return { api: make("api"), badKey: make("badKey"), keyCreation: make("keyCreation") };
  }));
}

async function take(kind: Kind, key: string): Promise<{ ok: true } | { ok: false; seconds: number; shared: boolean }> {
  const limiter = (await limiters())[kind];
  const taken = await limiter.take(key);
  return taken.ok ? taken : { ok: false, seconds: Math.max(1, Math.ceil(taken.retryAfterMs / 1000)), shared: limiter.shared };
}

/** Spends one request of the key's budget (by key id): null when allowed, else the 429 answer with `Retry-After` (seconds). */
export async function rateLimit(keyId: string): Promise<Response | null> {
  const taken = await take("api", keyId);
  if (taken.ok) return null;
  const { perSecond, burst } = LIMITS.api;
  const where = taken.shared ? "across all servers" : "on this server";
  return apiError(
    429,
    "rate_limited",
    `rate limit: ${perSecond} requests per second per API key (bursts of ${burst}) ${where}; retry after ${taken.seconds} s`,
    { headers: { "retry-after": String(taken.seconds) }, details: { limit: { perSecond, burst }, retryAfterSeconds: taken.seconds } },
  );
}

/** Counts a wrong API key from `address`: null while the address is within its budget, else the 429 answer. */
export async function badKeyLimit(address: string): Promise<Response | null> {
  if (env.badKeyLimit <= 0) return null;
  const taken = await take("badKey", address);
  if (taken.ok) return null;
  return apiError(
    429,
    "too_many_bad_keys",
    `too many wrong API keys from your address (${env.badKeyLimit} a minute): check the key, and retry after ${taken.seconds} s`,
    { headers: { "retry-after": String(taken.seconds), "www-authenticate": 'Bearer realm="runtrail", error="invalid_token"' } },
  );
}

/** Spends one key creation of the project's budget: null when allowed, else the 429 answer. */
export async function keyCreationLimit(projectId: string): Promise<Response | null> {
  const taken = await take("keyCreation", projectId);
  if (taken.ok) return null;
  return apiError(429, "too_many_key_creations", `this project made ${LIMITS.keyCreation.burst} keys within the hour: retry after ${taken.seconds} s`, {
    headers: { "retry-after": String(taken.seconds) },
  });
}
