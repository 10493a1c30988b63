import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";

/**
 * Token buckets in the `rate_limit_buckets` table, shared by every process on one
 * Postgres. One statement takes up to `want` tokens at once: the bucket is refilled
 * for the time since its last take (`perSecond`, capped at `burst`, by the database's
 * clock, so replicas' clocks do not matter), then hands out what it has, up to
 * `want`. The row lock of `INSERT … ON CONFLICT DO UPDATE` makes concurrent takes of
 * one key queue for microseconds; different keys never wait for each other.
 */

export interface TokenTake {
  key: string;
  /** Tokens earned per second (> 0). */
  perSecond: number;
  /** Most tokens the bucket holds; a new bucket starts full. */
  burst: number;
  /** Tokens wanted (≥ 1): a caller may take a small allowance at once and spend it locally. */
  want: number;
}

export interface TokensTaken {
  /** Tokens handed out: 0 .. want. */
  granted: number;
  /** What is left in the bucket (fractional); with nothing granted, 1 − tokens is the wait, in tokens. */
  tokens: number;
}

export async function takeTokens(db: Db, take: TokenTake): Promise<TokensTaken> {
  const { key, perSecond, burst } = take;
  const want = Math.max(1, Math.floor(take.want));
  // What the bucket holds now: its tokens plus what it earned since, up to the burst.
  const available = sql`least(${burst}::float8, b.tokens + greatest(0, extract(epoch from (now() - b.updated_at))) * ${perSecond}::float8)`;
  const granted = sql`least(${want}::int, floor(${available})::int)`;
  const [row] = await selectRows<{ granted: number; tokens: number }>(
    db,
    sql`insert into rate_limit_buckets as b (key, tokens, granted, updated_at, full_at)
        values (${key}, ${burst}::float8 - least(${want}::int, floor(${burst}::float8)::int), least(${want}::int, floor(${burst}::float8)::int), now(),
                now() + make_interval(secs => least(${want}::int, floor(${burst}::float8)::int) / ${perSecond}::float8))
        on conflict (key) do update set
          tokens = ${available} - ${granted},
          granted = ${granted},
          updated_at = now(),
          full_at = now() + make_interval(secs => (${burst}::float8 - (${available} - ${granted})) / ${perSecond}::float8)
        returning granted, tokens`,
  );
  if (!row) throw new Error(`rate limit bucket ${key}: the upsert returned no row`);
  return { granted: Number(row.granted), tokens: Number(row.tokens) };
}

/** Deletes buckets that are full again (a full bucket is the same as none). */
export async function purgeFullBuckets(db: Db): Promise<number> {
  const rows = await selectRows<{ key: string }>(db, sql`delete from rate_limit_buckets where full_at <= now() returning key`);
  return rows.length;
}
