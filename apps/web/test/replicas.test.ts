import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_PROJECT_ID, selectRows } from "@runtrail/db";
import { openPostgresTestStore, postgresReachable, type TestStore } from "@runtrail/db/testing";
import { Runtrail, type RunStreamEvent } from "@runtrail/sdk";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RoundRobinProxy, startRoundRobinProxy } from "./round-robin-proxy";
import { type RunningServer, startServer } from "./server";

/**
 * Issue 15: three server replicas on one Postgres database behind a round-robin proxy.
 * The SDK records a run of many tasks through the proxy; one replica is killed
 * (SIGKILL) while a batch is being forwarded to it. Every event must be stored exactly
 * once, the run must end complete, and a live stream on another replica must see that
 * end. The replicas read a run without news only every ten minutes here, so what their
 * streams see arrives through LISTEN/NOTIFY.
 */

const TASKS = 1500;
const API_KEY = "rt_replicas_0123456789abcdef0123456789abcdef";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads an SDK stream into the run's tasks (latest copy of each) and its messages, until `end`. */
function follow(client: Runtrail, runId: string) {
  const tasks = new Map<string, { status: string; version: number }>();
  const events: RunStreamEvent[] = [];
  const ended = (async () => {
    for await (const e of client.runs.stream(runId)) {
      events.push(e);
      if (e.type === "tasks") for (const t of e.tasks) tasks.set(t.id, { status: t.status, version: t.version });
      if (e.type === "end") return e.run;
    }
    throw new Error("the stream ended without an end event");
  })();
  return { tasks, events, ended };
}

describe.runIf(await postgresReachable())("three replicas on one Postgres behind a round-robin proxy", () => {
  let store: TestStore | undefined;
  const dirs: string[] = [];
  let replicas: RunningServer[] = [];
  let proxy: RoundRobinProxy | undefined;

  beforeAll(async () => {
    store = await openPostgresTestStore();
    const url = store.env.DATABASE_URL;
    replicas = await Promise.all(
      [0, 1, 2].map(() => {
        const dir = mkdtempSync(join(tmpdir(), "runtrail-replica-"));
        dirs.push(dir);
        return startServer({ DATABASE_URL: url, RUNTRAIL_DATA_DIR: dir, RUNTRAIL_API_KEY: API_KEY, RUNTRAIL_LIVE_POLL_MS: "600000" });
      }),
    );
    proxy = await startRoundRobinProxy(replicas.map((r) => r.url));
  });

  afterAll(async () => {
    await proxy?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await store?.cleanup();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("a change written through one replica reaches a stream on another", async () => {
    const [, b, c] = replicas;
    if (!b || !c) throw new Error("replicas not started");
    const writer = new Runtrail({ baseUrl: b.url, apiKey: API_KEY, flushIntervalMs: 10 });
    const reader = new Runtrail({ baseUrl: c.url, apiKey: API_KEY });
    const run = await writer.startRun({ name: "across replicas" });
    await writer.flush();
    const stream = follow(reader, run.id);
    const step = await run.startTask("step");
    await writer.flush();
    while (stream.tasks.get(step.id)?.status !== "running") await sleep(20);
    await step.complete();
    await run.complete();
    await writer.shutdown();
    expect(await stream.ended).toMatchObject({ status: "completed", taskCounts: { completed: 1 } });
    expect(stream.tasks.get(step.id)?.status).toBe("completed");
    await reader.shutdown();
  });

  it("a replica killed mid-stream loses nothing: every event stored once, the run complete, the end seen on another replica", async () => {
    const [a, , c] = replicas;
    if (!a || !c || !proxy || !store) throw new Error("not started");
    const client = new Runtrail({ baseUrl: proxy.url, apiKey: API_KEY, flushIntervalMs: 10, maxBatchSize: 50 });
    const run = await client.startRun({ name: "replicas", tags: ["fault"] });
    await client.flush();
    const reader = new Runtrail({ baseUrl: c.url, apiKey: API_KEY });
    const stream = follow(reader, run.id);

    let killed: Promise<void> | undefined;
    for (let i = 0; i < TASKS; i++) {
      const task = await run.startTask(`step-${i}`, { i });
      await task.complete({ output: { i } });
      if (i % 100 === 99) await sleep(10);
      // Kill replica A the moment a batch is on its way to it, a third of the way in.
      if (i === TASKS / 3) killed = proxy.forwarding(0).then(() => a.kill());
    }
    await killed;
    await run.complete({ output: { tasks: TASKS } });
    const report = await client.flush(30_000);
    await client.shutdown();
    expect(report.pending).toBe(0);
    expect(report.dropped).toEqual({ queue_overflow: 0, payload_too_large: 0, rejected: 0 });
    // The batch in flight on A, or the next one sent there, failed and was sent again.
    expect(proxy.failures).toBeGreaterThan(0);

    const [counts] = await selectRows<{ events: number; ids: number }>(
      store.store.db,
      sql`select count(*)::int as events, count(distinct id)::int as ids from events where project_id = ${DEFAULT_PROJECT_ID} and run_id = ${run.id}`,
    );
    // run.start, a start and a complete per task, run.complete: each exactly once.
    expect(counts).toEqual({ events: TASKS * 2 + 2, ids: TASKS * 2 + 2 });
    const tasks = await selectRows<{ status: string; n: number }>(
      store.store.db,
      sql`select status, count(*)::int as n from tasks where project_id = ${DEFAULT_PROJECT_ID} and run_id = ${run.id} group by status`,
    );
    expect(tasks).toEqual([{ status: "completed", n: TASKS }]);

    const end = await stream.ended;
    expect(end).toMatchObject({ id: run.id, status: "completed", output: { tasks: TASKS }, taskCounts: { total: TASKS, completed: TASKS } });
    expect(stream.tasks.size).toBe(TASKS);
    expect([...stream.tasks.values()].every((t) => t.status === "completed")).toBe(true);
    await reader.shutdown();
  });
});
