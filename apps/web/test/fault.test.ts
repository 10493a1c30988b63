import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openStore, selectRows, type Store } from "@runtrail/db";
import { citusUrl, openCitusTestStore } from "@runtrail/db/testing";
import { Runtrail } from "@runtrail/sdk";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PrivatePostgres, startPrivatePostgres } from "./private-postgres";
import { freePort, type RunningServer, startServer } from "./server";

/**
 * Fault test: while one SDK client records 20,000 events from parallel tasks, the
 * ingest server is killed (SIGKILL) and restarted twice and Postgres is stopped
 * abruptly and restarted once. Afterwards every event must be stored exactly once
 * and every run's timeline must be in emit order. Runs on a Postgres server of its
 * own, so the machine's shared one is never disturbed. The same with embedded
 * PGlite, minus the Postgres restart: there the server is killed while it writes.
 */

const RUNS = 20;
const TASKS_PER_RUN = 499; // + run.start and run.complete = 1,000 events a run
const WORKERS_PER_RUN = 4;
const TOTAL_EVENTS = RUNS * (TASKS_PER_RUN * 2 + 2);
const API_KEY = "rt_fault_0123456789abcdef0123456789abcdef";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Scenario {
  name: string;
  /** Starts the store; null when this machine cannot run the scenario. */
  setup(): Promise<{ serverEnv: Record<string, string | undefined>; pg: PrivatePostgres | null; openCheck: () => Promise<Store>; cleanup: () => Promise<void> } | null>;
}

/**
 * `npm run test:citus`: the cluster of CITUS_URL instead of the two stores above, with a
 * worker crashed and restarted in place of the Postgres restart when the cluster is the
 * one scripts/citus-cluster.mjs runs on this machine (which can crash its nodes).
 */
const citusScenario: Scenario = {
  name: "citus: two server kills and a worker crash",
  async setup() {
    const t = await openCitusTestStore();
    const script = fileURLToPath(new URL("../../../scripts/citus-cluster.mjs", import.meta.url));
    const ours = spawnSync(process.execPath, [script, "url"], { encoding: "utf8" }).stdout.trim();
    const sameCluster = new URL(ours).port === new URL(citusUrl()).port && spawnSync(process.execPath, [script, "status"]).status === 0;
    if (!sameCluster) console.warn("!! CITUS_URL is not the cluster of scripts/citus-cluster.mjs: the worker crash is SKIPPED (server kills only).");
    const url = t.env.DATABASE_URL ?? "";
    return {
      serverEnv: { DATABASE_URL: url, RUNTRAIL_DATA_DIR: "/nonexistent-unused" },
      pg: sameCluster
        ? {
            url,
            async restart(downMs: number) {
              const r = spawnSync(process.execPath, [script, "crash", "worker-1", String(downMs)], { encoding: "utf8" });
              if (r.status !== 0) throw new Error(`crashing worker-1 failed: ${r.stderr}`);
            },
            stop: async () => {},
          }
        : null,
      openCheck: () => openStore({ databaseUrl: url, dataDir: null, maxConnections: 1 }),
      cleanup: () => t.cleanup(),
    };
  },
};

const scenarios: Scenario[] = process.env.RUNTRAIL_TEST_STORE === "citus" ? [citusScenario] : [
  {
    name: "postgres: two server kills and a Postgres restart",
    async setup() {
      const pg = await startPrivatePostgres();
      if (!pg) {
        if (process.env.CI === "true") throw new Error("CI=true but no Postgres server binaries (initdb, pg_ctl) on this machine");
        console.warn("!! No Postgres server binaries here: the Postgres fault test is SKIPPED. Install postgresql to run it.");
        return null;
      }
      return {
        serverEnv: { DATABASE_URL: pg.url, RUNTRAIL_DATA_DIR: "/nonexistent-unused" },
        pg,
        openCheck: () => openStore({ databaseUrl: pg.url, dataDir: null, maxConnections: 1 }),
        cleanup: () => pg.stop(),
      };
    },
  },
  {
    name: "pglite: two server kills",
    async setup() {
      const dir = mkdtempSync(join(tmpdir(), "runtrail-fault-"));
      return {
        serverEnv: { DATABASE_URL: undefined, RUNTRAIL_DATA_DIR: dir },
        pg: null,
        // Opened only after the server stopped: PGlite's directory has one owner at a time.
        openCheck: () => openStore({ dataDir: dir }),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
];

for (const scenario of scenarios) {
  describe(`delivery under faults, ${scenario.name}`, () => {
    let ctxStore: Awaited<ReturnType<Scenario["setup"]>> = null;
    let server: RunningServer | undefined;
    let port = 0;

    beforeAll(async () => {
      ctxStore = await scenario.setup();
      if (!ctxStore) return;
      port = await freePort();
      server = await startServer({ ...ctxStore.serverEnv, RUNTRAIL_API_KEY: API_KEY }, port);
    });

    afterAll(async () => {
      await server?.stop();
      await ctxStore?.cleanup();
    });

    it("stores every one of 20,000 events exactly once, each timeline in emit order", async (ctx) => {
      const setup = ctxStore;
      if (!setup || !server) return ctx.skip();
      const log: string[] = [];
      const stamp = (what: string) => log.push(`${new Date().toISOString().slice(11, 23)} ${what}`);
      const errors = new Map<string, number>();
      const client = new Runtrail({
        baseUrl: server.url,
        apiKey: API_KEY,
        flushIntervalMs: 100,
        // The whole test's volume fits: any drop is a failure of delivery, not of sizing.
        maxQueueSize: TOTAL_EVENTS,
        onError: (err) => errors.set(err.code, (errors.get(err.code) ?? 0) + 1),
      });

      const emitted = new Map<string, string[]>();
      const recordRun = async (r: number) => {
        const run = await client.startRun({ name: `fault-${r}`, tags: ["fault"] });
        const order: string[] = [];
        emitted.set(run.id, order);
        let next = 0;
        const worker = async () => {
          while (next < TASKS_PER_RUN) {
            const name = `task-${String(next++).padStart(3, "0")}`;
            const task = await run.startTask(name, { r });
            order.push(name);
            await sleep(40 + Math.random() * 60);
            await task.complete({ output: { name } });
          }
        };
        await Promise.all(Array.from({ length: WORKERS_PER_RUN }, worker));
        await run.complete({ output: { tasks: TASKS_PER_RUN } });
      };

      const restartServer = async (n: number) => {
        stamp(`kill server (${n})`);
        await server?.kill();
        await sleep(1000);
        server = await startServer({ ...setup.serverEnv, RUNTRAIL_API_KEY: API_KEY }, port);
        stamp(`server back (${n})`);
      };
      const faults = (async () => {
        await sleep(2500);
        await restartServer(1);
        if (setup.pg) {
          await sleep(2000);
          stamp("stop postgres (immediate)");
          await setup.pg.restart(1500);
          stamp("postgres back");
        }
        await sleep(2000);
        await restartServer(2);
      })();

      const started = Date.now();
      const recording = Promise.all(Array.from({ length: RUNS }, (_, r) => recordRun(r))).then(() =>
        stamp(`recording done after ${Date.now() - started} ms`),
      );
      await Promise.all([recording, faults]);
      const report = await client.shutdown(180_000);
      stamp(`all delivered after ${Date.now() - started} ms: ${JSON.stringify(report)}`);
      stamp(`background errors seen: ${JSON.stringify(Object.fromEntries(errors))}`);
      console.log(`fault test (${scenario.name}):\n  ${log.join("\n  ")}`);

      expect(report).toEqual({ sent: TOTAL_EVENTS, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } });
      // The faults really hit delivery: some sends failed and were retried.
      expect(errors.get("network_error") ?? 0).toBeGreaterThan(0);

      // Timelines through the API, then the raw tables with the server stopped.
      for (const [runId, order] of emitted) {
        const res = await fetch(`${server.url}/api/v1/runs/${runId}`, { headers: { authorization: `Bearer ${API_KEY}` } });
        const body = (await res.json()) as { tasks: { name: string }[] };
        expect(body.tasks.map((t) => t.name)).toEqual(order);
      }
      await server.stop();
      const store = await setup.openCheck();
      try {
        const [counts] = await selectRows(
          store.db,
          sql`select (select count(*)::int from events) as events,
                     (select count(*)::int from runs where status = 'completed' and task_count = ${TASKS_PER_RUN} and tasks_completed = ${TASKS_PER_RUN}) as runs,
                     (select count(*)::int from tasks where status = 'completed') as tasks`,
        );
        expect(counts).toEqual({ events: TOTAL_EVENTS, runs: RUNS, tasks: RUNS * TASKS_PER_RUN });
        const wrong = await selectRows(
          store.db,
          sql`select run_id, task_id, count(*)::int as n from events where task_id is not null group by run_id, task_id having count(*) <> 2`,
        );
        expect(wrong).toEqual([]);
      } finally {
        await store.close();
      }
    }, 300_000);
  });
}
