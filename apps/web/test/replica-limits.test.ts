import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostgresTestStore, postgresReachable, type TestStore } from "@runtrail/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { uid } from "./harness";
import { type RunningServer, startServer } from "./server";

/**
 * Two server processes on one Postgres share a key's rate limit and the sign-in
 * throttle: a client that spreads its requests over both gets one budget, not two.
 * (PGlite is one process: there is nothing to share.)
 */

const BURST = 6;
const ADMIN = { email: "replicas@example.com", password: "replicas password 1" };

describe.runIf(await postgresReachable())("limits shared by two replicas on one Postgres", () => {
  let pg: TestStore;
  let dir: string;
  const servers: RunningServer[] = [];

  beforeAll(async () => {
    pg = await openPostgresTestStore();
    dir = mkdtempSync(join(tmpdir(), "runtrail-replicas-"));
    // One token per 1,000 s: no token comes back during the test, however slow the machine.
    const env = {
      DATABASE_URL: pg.env.DATABASE_URL,
      RUNTRAIL_DATA_DIR: dir,
      RUNTRAIL_API_KEY: `rt_replicas_${uid("k")}`,
      RUNTRAIL_RATE_LIMIT_PER_SECOND: "0.001",
      RUNTRAIL_RATE_LIMIT_BURST: String(BURST),
      RUNTRAIL_ADMIN_EMAIL: ADMIN.email,
      RUNTRAIL_ADMIN_PASSWORD: ADMIN.password,
    };
    servers.push(await startServer(env));
    servers.push(await startServer(env));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await pg?.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("one key's burst is spent across both: the seventh request, on either, is a 429", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("servers not started");
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 4; i++) {
      const server = i % 2 === 0 ? a : b;
      const r = await fetch(`${server.url}/api/v1/runs?limit=1`, { headers: { authorization: `Bearer ${server.apiKey}` } });
      statuses.push(r.status);
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(BURST);
    expect(statuses.slice(BURST)).toEqual([429, 429, 429, 429]);
  });

  it("ten wrong passwords spread over both hold the eleventh on either", async () => {
    const [a, b] = servers;
    if (!a || !b) throw new Error("servers not started");
    const email = `${uid("spread")}@example.com`;
    for (let i = 0; i < 10; i++) {
      const r = await new DashboardClient((i % 2 === 0 ? a : b).url, "127.0.0.2").login(email, `guess ${i}`);
      expect(r.status).toBe(401);
    }
    expect((await new DashboardClient(a.url, "127.0.0.2").login(email, "guess 10")).status).toBe(429);
    expect((await new DashboardClient(b.url, "127.0.0.2").login(email, "guess 11")).status).toBe(429);
    // Another address is not held by this one's failures, on either replica.
    expect((await new DashboardClient(b.url, "127.0.0.3").login(ADMIN.email, ADMIN.password)).status).toBe(200);
  });
});
