import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { testStoreKinds } from "../testing/stores.js";
import { suiteStore } from "../testing/suite-store.js";
import { createApiKey, revokeApiKey, TooManyKeysError } from "./api-keys.js";
import { forgiveLoginAttempt, type LoginLimits, purgeLoginFailures, takeLoginAttempt } from "./login-throttle.js";
import { createProject } from "./projects.js";
import { purgeFullBuckets, takeTokens } from "./rate-limits.js";

const LIMITS: LoginLimits = { pair: 3, address: 6, email: 5, windowMs: 60_000 };
const attempt = (email: string, address: string) => ({ email, address, attempt: randomUUID() });

for (const kind of await testStoreKinds()) {
  describe(`shared limits on ${kind.name}`, () => {
    const t = suiteStore(kind);

    it("a token bucket hands out at most its burst, in allowances, and refills by the database clock", async () => {
      const db = t.store.db;
      expect(await takeTokens(db, { key: "k1", perSecond: 0.001, burst: 10, want: 4 })).toEqual({ granted: 4, tokens: 6 });
      expect((await takeTokens(db, { key: "k1", perSecond: 0.001, burst: 10, want: 4 })).granted).toBe(4);
      const rest = await takeTokens(db, { key: "k1", perSecond: 0.001, burst: 10, want: 4 });
      expect(rest.granted).toBe(2);
      const empty = await takeTokens(db, { key: "k1", perSecond: 0.001, burst: 10, want: 1 });
      expect(empty.granted).toBe(0);
      expect(empty.tokens).toBeLessThan(1);
      // Another key has its own bucket; a fast one refills while we wait.
      expect((await takeTokens(db, { key: "k2", perSecond: 1000, burst: 2, want: 2 })).granted).toBe(2);
      await new Promise((r) => setTimeout(r, 20));
      expect((await takeTokens(db, { key: "k2", perSecond: 1000, burst: 2, want: 5 })).granted).toBe(2);
      // Concurrent takes never hand out more than the bucket held.
      const takes = await Promise.all(Array.from({ length: 20 }, () => takeTokens(db, { key: "k3", perSecond: 0.001, burst: 7, want: 1 })));
      expect(takes.reduce((n, x) => n + x.granted, 0)).toBe(7);
      // Full buckets are purged; spent ones stay.
      await new Promise((r) => setTimeout(r, 20));
      await purgeFullBuckets(db);
      const keys = (await selectRows<{ key: string }>(db, sql`select key from rate_limit_buckets order by key`)).map((r) => r.key);
      expect(keys).toEqual(["k1", "k3"]);
    });

    it("counts sign-in attempts per pair and per address; the email limit holds only addresses that failed", async () => {
      const db = t.store.db;
      const victim = "Victim@example.com";
      for (let i = 0; i < LIMITS.pair; i++) expect(await takeLoginAttempt(db, attempt(victim, "10.0.0.1"), LIMITS)).toEqual({ ok: true });
      const held = await takeLoginAttempt(db, attempt("victim@EXAMPLE.com", "10.0.0.1"), LIMITS);
      expect(held).toMatchObject({ ok: false, what: "pair" });
      expect(held.ok === false && held.retryAfterMs).toBeGreaterThan(50_000);
      // Another address may try; two more failures put the email over its limit (3 + 2 = 5).
      for (const a of ["10.0.0.2", "10.0.0.2"]) expect((await takeLoginAttempt(db, attempt(victim, a), LIMITS)).ok).toBe(true);
      expect(await takeLoginAttempt(db, attempt(victim, "10.0.0.2"), LIMITS)).toMatchObject({ ok: false, what: "email" });
      // A fresh address still gets its try (the owner elsewhere), and its success forgives its pair only.
      const owner = attempt(victim, "10.0.0.3");
      expect((await takeLoginAttempt(db, owner, LIMITS)).ok).toBe(true);
      await forgiveLoginAttempt(db, owner);
      expect((await takeLoginAttempt(db, attempt(victim, "10.0.0.2"), LIMITS)).ok).toBe(false);
      // An address spraying emails is held by its own count.
      for (let i = 0; i < LIMITS.address; i++) expect((await takeLoginAttempt(db, attempt(`u${i}@example.com`, "10.0.0.9"), LIMITS)).ok).toBe(true);
      expect(await takeLoginAttempt(db, attempt("new@example.com", "10.0.0.9"), LIMITS)).toMatchObject({ ok: false, what: "address" });
      // Stored emails are hashes, never the typed text.
      const stored = await selectRows<{ key: string }>(db, sql`select key from login_failures`);
      expect(stored.some((r) => r.key.toLowerCase().includes("victim"))).toBe(false);
    });

    it("counts guesses sent at once exactly, and forgets them past the window", async () => {
      const db = t.store.db;
      const verdicts = await Promise.all(Array.from({ length: 12 }, () => takeLoginAttempt(db, attempt("burst@example.com", "10.1.0.1"), LIMITS)));
      expect(verdicts.filter((v) => v.ok)).toHaveLength(LIMITS.pair);
      const short = { ...LIMITS, windowMs: 1 };
      await new Promise((r) => setTimeout(r, 10));
      await purgeLoginFailures(db, short.windowMs);
      expect(await selectRows(db, sql`select 1 from login_failures`)).toEqual([]);
    });

    it("caps a project's active keys, also when keys are made at once", async () => {
      const db = t.store.db;
      const p = await createProject(db, "Capped");
      const made = [];
      for (let i = 0; i < 3; i++) made.push(await createApiKey(db, p.id, `k${i}`, null, { maxActive: 3 }));
      await expect(createApiKey(db, p.id, "more", null, { maxActive: 3 })).rejects.toBeInstanceOf(TooManyKeysError);
      await revokeApiKey(db, p.id, made[0]?.view.id ?? "");
      const race = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => createApiKey(db, p.id, `race${i}`, null, { maxActive: 3 })));
      expect(race.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      // Without a cap (the command line) nothing is refused.
      await createApiKey(db, p.id, "operator");
    });
  });
}
