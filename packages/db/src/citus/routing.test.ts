import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../client.js";
import { endRun } from "../queries/control.js";
import { compareTaskNames } from "../queries/comparison.js";
import { getRunChanges } from "../queries/changes.js";
import { writeEvents } from "../queries/ingest.js";
import { listLogMarkers } from "../queries/log-markers.js";
import { listLogs } from "../queries/logs.js";
import { getRun, getRunOnly } from "../queries/runs.js";
import { getTask } from "../queries/tasks.js";
import { getRunTimeline, listTimelineTasks } from "../queries/timeline.js";
import * as schema from "../schema.js";
import { openCitusTestStore } from "../testing/citus-store.js";
import type { TestStore } from "../testing/stores.js";

/**
 * On Citus (`npm run test:citus`): every statement that reads or writes one run goes to
 * one shard. Each query function runs on a drizzle instance whose logger keeps the SQL
 * and parameters it sends; each statement is then EXPLAINed with those parameters, and
 * every "Task Count" in its distributed plan must be 1. Statements on no distributed
 * table (advisory locks) plan locally, and INSERT … SELECT from a JSON parameter is
 * routed row by row by the coordinator ("pull to coordinator"); both are fine.
 */

const P = "proj-route";
const RUN = "route-run";
const BASE = "route-base";
const at = (ms: number) => new Date(Date.UTC(2030, 0, 1) + ms);

interface Sent {
  query: string;
  params: unknown[];
}

describe.runIf(process.env.RUNTRAIL_TEST_STORE === "citus")("per-run statements on Citus go to one shard", () => {
  let t: TestStore;
  let client: postgres.Sql;
  let db: Db;
  const sent: Sent[] = [];

  /** Runs `fn` and returns, per statement it sent, the Task Counts of its distributed plan. */
  async function routes(fn: (db: Db) => Promise<unknown>): Promise<{ query: string; tasks: number[]; plan: string }[]> {
    sent.length = 0;
    await fn(db);
    const out = [];
    for (const s of [...sent]) {
      const rows = await client.unsafe(`explain ${s.query}`, s.params as postgres.ParameterOrJSON<never>[]);
      const plan = rows.map((r) => Object.values(r)[0]).join("\n");
      out.push({ query: s.query, tasks: [...plan.matchAll(/Task Count: (\d+)/g)].map((m) => Number(m[1])), plan });
    }
    return out;
  }

  function expectOneShard(statements: { query: string; tasks: number[]; plan: string }[]) {
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      if (!s.plan.includes("Custom Scan (Citus")) continue; // no distributed table in it
      if (s.plan.includes("INSERT/SELECT method: pull to coordinator")) continue;
      expect(s.tasks.length, `no task count in the plan of ${s.query}\n${s.plan}`).toBeGreaterThan(0);
      expect(s.tasks, `not routed to one shard: ${s.query}\n${s.plan}`).toEqual(s.tasks.map(() => 1));
    }
  }

  beforeAll(async () => {
    t = await openCitusTestStore();
    client = postgres(t.env.DATABASE_URL ?? "", { max: 2, onnotice: () => {} });
    db = drizzle({ client, schema, logger: { logQuery: (query, params) => sent.push({ query, params }) } }) as unknown as Db;
    // Seeded row by row (each insert names its run): the ingest path has its own test below.
    const run = (id: string, name: string, start: number, status: schema.RunStatus) => ({
      projectId: P, id, name, status, startedAt: at(start), endedAt: status === "running" ? null : at(start + 500), lastEventAt: at(start + 500), version: 3, taskCount: 4, tasksFailed: 1,
    });
    await t.store.db.insert(schema.runs).values([run(BASE, "job", 0, "completed"), run(RUN, "job", 1000, "running")]);
    for (const [runId, start] of [[BASE, 0], [RUN, 1000]] as const) {
      await t.store.db.insert(schema.tasks).values(
        ["a", "b", "c", "d"].map((n, i) => ({
          projectId: P, runId, id: `${runId}-${n}`, name: n, status: (i === 1 ? "failed" : i === 3 ? "running" : "completed") as schema.TaskStatus,
          version: i + 1, startSeq: i * 2 + 1, endSeq: i === 3 ? null : i * 2 + 2, startedAt: at(start + i * 10), endedAt: i === 3 ? null : at(start + i * 10 + 5),
        })),
      );
      await t.store.db.insert(schema.events).values(
        [1, 2, 3].map((seq) => ({ projectId: P, runId, id: `${runId}-log-${seq}`, seq: 100 + seq, type: seq === 3 ? "run.log" : "task.log", taskId: seq === 3 ? null : `${runId}-a`, ts: at(start + seq), payload: { level: "info", message: `line ${seq}` } })),
      );
    }
  });
  afterAll(async () => {
    await client?.end({ timeout: 5 });
    await t?.cleanup();
  });

  it("reads of one run: the run, its tasks, timeline pages, pinned tasks, one task", async () => {
    expectOneShard(await routes((d) => getRunOnly(d, P, RUN)));
    expectOneShard(await routes((d) => getRun(d, P, RUN)));
    expectOneShard(await routes((d) => getTask(d, P, RUN, `${RUN}-b`)));
    const head = await routes((d) => getRunTimeline(d, P, RUN, { limit: 1, taskId: `${RUN}-d` }));
    expect(head.length).toBeGreaterThanOrEqual(4); // run, first page, first failures, the linked task
    expectOneShard(head);
    const first = await listTimelineTasks(t.store.db, P, RUN, { limit: 2 });
    expect(first.next).not.toBeNull();
    expectOneShard(await routes((d) => listTimelineTasks(d, P, RUN, { after: first.next ?? undefined, limit: 2 })));
  });

  it("log lines, log markers, live changes and the task-name comparison of two runs", async () => {
    expectOneShard(await routes((d) => listLogs(d, P, RUN)));
    expectOneShard(await routes((d) => listLogs(d, P, RUN, { taskId: `${RUN}-a` })));
    expectOneShard(await routes((d) => listLogs(d, P, RUN, { taskId: null })));
    expectOneShard(await routes((d) => listLogMarkers(d, P, RUN)));
    expectOneShard(await routes((d) => getRunChanges(d, P, RUN, 1)));
    // Two runs, each side read from its own shard (the coordinator groups the two).
    const names = await routes((d) => compareTaskNames(d, P, RUN, BASE));
    expectOneShard(names);
    expect((await compareTaskNames(t.store.db, P, RUN, BASE)).names.map((n) => n.name).sort()).toEqual(["a", "b", "c", "d"]);
  });

  // Needs the ingest path's statements to name their run (see docs/scaling.md).
  it("writes of one run: an ingested batch and a cancel", async () => {
    const batch = [
      { id: "w-1", runId: "write-run", seq: 1, type: "run.start", taskId: null, ts: at(5000), payload: { name: "write" } },
      { id: "w-2", runId: "write-run", seq: 2, type: "task.start", taskId: "w-t", ts: at(5001), payload: { name: "t" } },
    ];
    expectOneShard(await routes((d) => writeEvents(d, P, batch)));
    expectOneShard(await routes((d) => endRun(d, P, "write-run", { kind: "cancel", reason: "routing test" })));
    expect((await getRunOnly(t.store.db, P, "write-run"))?.status).toBe("cancelled");
  });
});
