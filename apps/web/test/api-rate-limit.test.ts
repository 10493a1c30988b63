import { testStoreKinds } from "@runtrail/db/testing";
import { type DeliveryError, Runtrail } from "@runtrail/sdk";
import { describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { emitter, type Reply, uid, useServer } from "./harness";

/**
 * Rate limiting per API key over real HTTP, with tiny budgets: 4 requests a second
 * in bursts of 4, and one request per 100 s where a test must not see a token come
 * back however slow the machine is. On Postgres the buckets are shared through the
 * store (replica-limits.test.ts runs two servers); on PGlite they are in memory.
 */

const PER_SECOND = 4;
const BURST = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const [kind] = await testStoreKinds();
if (!kind) throw new Error("no test store");

describe(`rate limiting on ${kind.name}`, () => {
  const api = useServer(kind, { RUNTRAIL_RATE_LIMIT_PER_SECOND: String(PER_SECOND), RUNTRAIL_RATE_LIMIT_BURST: String(BURST) });

  /** Spends the key's whole budget: asks until refused. */
  async function drain(): Promise<Reply> {
    for (;;) {
      const r = await api.call("/api/v1/runs?limit=1");
      if (r.status === 429) return r;
    }
  }

  /** Waits out a 429's Retry-After. */
  const waitOut = (r: Reply) => sleep(Number(r.headers.get("retry-after")) * 1000 + 50);

  it("answers 429 with Retry-After in seconds and a JSON error naming the limit, once a key spent its burst", async () => {
    await waitOut(await drain());
    const began = Date.now();
    const replies = await Promise.all(Array.from({ length: 12 }, () => api.call("/api/v1/runs?limit=1")));
    const ok = replies.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(BURST);
    // Tokens come back while the twelve are answered (slowly, on a loaded machine).
    expect(ok).toBeLessThanOrEqual(BURST + Math.ceil(((Date.now() - began) / 1000) * PER_SECOND));
    const refused = replies.filter((r) => r.status === 429);
    expect(refused.length).toBe(12 - ok);
    for (const r of refused) {
      expect(r.headers.get("retry-after")).toBe("1");
      expect(r.headers.get("content-type")).toMatch(/^application\/json/);
      expect(r.body).toEqual({
        error: {
          code: "rate_limited",
          message: `rate limit: 4 requests per second per API key (bursts of 4) ${kind.name === "postgres" ? "across all servers" : "on this server"}; retry after 1 s`,
          limit: { perSecond: PER_SECOND, burst: BURST },
          retryAfterSeconds: 1,
        },
      });
    }
    // Waiting as told is enough.
    await waitOut(refused[0] as Reply);
    expect((await api.call("/api/v1/runs?limit=1")).status).toBe(200);
  });

  it("the SDK delivers every event exactly once through 429s, honouring Retry-After", async () => {
    const errors: DeliveryError[] = [];
    const client = new Runtrail({ baseUrl: api.url, apiKey: api.apiKey, maxBatchSize: 2, flushIntervalMs: 10, onError: (e) => errors.push(e) });
    const run = await client.startRun({ name: "through-429s" });
    for (let i = 0; i < 10; i++) {
      const task = await run.startTask(`step-${i}`, { i });
      task.log(`log ${i}`);
      await task.complete({ output: { i } });
    }
    await run.complete();
    const report = await client.shutdown(60_000);
    // 1 + 10 × 3 + 1 events in batches of 2: 16 requests against 4 a second.
    expect(report).toEqual({ sent: 32, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });
    const limited = errors.filter((e) => e.code === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.code === "rate_limited" && e.willRetry && e.status === 429)).toBe(true);
    expect(limited[0]?.message).toMatch(/HTTP 429\); retrying in 1000 ms/);

    // Read back through the SDK too: its reads wait out a 429 as well.
    const reader = new Runtrail({ baseUrl: api.url, apiKey: api.apiKey });
    try {
      const found = await reader.runs.get(run.id);
      expect(found.run).toMatchObject({ status: "completed", logCount: 10, taskCounts: { total: 10, completed: 10 } });
      expect(found.tasks.map((t) => [t.name, t.status, t.output])).toEqual(Array.from({ length: 10 }, (_, i) => [`step-${i}`, "completed", { i }]));
    } finally {
      await reader.shutdown();
    }
  });
});

describe(`rate limiting on ${kind.name}, one request per 100 s`, () => {
  const api = useServer(kind, { RUNTRAIL_RATE_LIMIT_PER_SECOND: "0.01", RUNTRAIL_RATE_LIMIT_BURST: "1" });

  /** Two fresh keys of a new project, made in the (open, local) dashboard. */
  async function twoKeys(): Promise<[string, string]> {
    const web = new DashboardClient(api.url);
    await web.loadCsrf("/settings/keys");
    const project = await web.send("/manage/projects", { name: uid("limits") });
    expect(project.status, project.text).toBe(201);
    const keys: string[] = [];
    for (const name of ["a", "b"]) {
      const made = await web.send("/manage/keys", { projectId: project.body.project.id, name });
      expect(made.status, made.text).toBe(201);
      keys.push(`Bearer ${made.body.key}`);
    }
    return keys as [string, string];
  }

  it("limits every key-authenticated route per key, and nothing else: bad keys, health and the dashboard's routes are not charged", async () => {
    const [a, b] = await twoKeys();
    const runId = uid("limited");
    // Key a spends its one token on the run's start; from here on it gets nothing for 100 s.
    expect((await api.call("/api/v1/ingest", { auth: a, body: { batch: [emitter(runId)("run.start", 0, { name: "limited" })] } })).status).toBe(200);
    const paths: [string, string][] = [
      ["POST", "/api/v1/ingest"],
      ["GET", "/api/v1/runs"],
      ["GET", `/api/v1/runs/${runId}`],
      ["GET", `/api/v1/runs/${runId}/logs`],
      ["GET", `/api/v1/runs/${runId}/stream`],
      ["POST", `/api/v1/runs/${runId}/cancel`],
    ];
    for (const [method, path] of paths) {
      const r = await api.call(path, { auth: a, method, body: method === "POST" ? (path.endsWith("ingest") ? { batch: [] } : {}) : undefined });
      expect(r.status, path).toBe(429);
      expect(r.body.error.code).toBe("rate_limited");
      expect(Number(r.headers.get("retry-after")), path).toBeGreaterThan(90);
    }
    // Refused before the limiter: a wrong key is a 401 (up to RUNTRAIL_BAD_KEY_LIMIT a minute), and costs no real key anything.
    for (let i = 0; i < 10; i++) expect((await api.call("/api/v1/runs", { auth: "Bearer rt_not_a_key" })).status).toBe(401);
    expect((await api.call("/api/health", { auth: null })).status).toBe(200);
    expect((await api.call(`/runs/${runId}/tasks/nope`, { auth: null })).status).toBe(404);
    // Key b of the same project has a budget of its own; the refused cancel did not cancel the run.
    const read = await api.call(`/api/v1/runs/${runId}`, { auth: b });
    expect(read.status).toBe(200);
    expect(read.body.run.status).toBe("running");
  });
});
