import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectRows } from "../client.js";
import { migrate } from "../migrate.js";
import { MIGRATIONS } from "../migrations.generated.js";
import { writeEvents } from "../queries/ingest.js";
import { getRun } from "../queries/runs.js";
import { events, runs } from "../schema.js";
import { openCitusTestStore } from "../testing/citus-store.js";
import { type TestStore, testStoreKinds } from "../testing/stores.js";
import { distribute, isCitusCoordinator, NotCitusError } from "./distribute.js";
import { LAYOUT } from "./layout.js";

const P = "default";
const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

/** A run of three tasks, one failed, and a log line. */
function sampleRun(runId: string) {
  let seq = 0;
  const e = (type: string, taskId: string | null, payload: Record<string, unknown> = {}) => ({
    id: `${runId}-${++seq}`,
    runId,
    seq,
    type,
    taskId,
    ts: at(seq * 10),
    payload,
  });
  return [
    e("run.start", null, { name: "sample" }),
    ...["a", "b", "c"].flatMap((t) => [e("task.start", `${runId}-${t}`, { name: t }), e(t === "b" ? "task.fail" : "task.complete", `${runId}-${t}`)]),
    e("task.log", `${runId}-a`, { level: "info", message: "hello" }),
    e("run.complete", null),
  ];
}

for (const kind of await testStoreKinds()) {
  describe(`db distribute on ${kind.name}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await kind.open();
    });
    afterAll(() => t.cleanup());

    it.runIf(kind.name !== "citus")("refuses a database that is not a Citus coordinator, changing nothing", async () => {
      expect(await isCitusCoordinator(t.store)).toBe(false);
      const err = await distribute(t.store).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(NotCitusError);
      expect((err as Error).message).toMatch(kind.name === "pglite" ? /PGlite/ : /not a Citus database/);
    });

    it.runIf(kind.name === "citus")("leaves a distributed database as it is the second time", async () => {
      expect(await isCitusCoordinator(t.store)).toBe(true);
      const again = await distribute(t.store);
      expect(again.map((s) => s.action)).toEqual(LAYOUT.map(() => "already"));
      const rows = await selectRows<{ table: string; type: string; column: string | null; colocation: number }>(
        t.store.db,
        sql`select logicalrelid::text as table, case when partkey is not null then 'distributed' when repmodel = 't' then 'reference' else 'local' end as type,
                   column_to_column_name(logicalrelid, partkey) as column, colocationid as colocation from pg_dist_partition`,
      );
      for (const want of LAYOUT) {
        const got = rows.find((r) => r.table === want.name);
        if (want.kind === "coordinator") {
          expect(got, `${want.name} stays a plain table on the coordinator`).toBeUndefined();
          continue;
        }
        expect(got, want.name).toMatchObject({ type: want.kind, column: want.kind === "distributed" ? want.column : null });
      }
      const groups = new Set(rows.filter((r) => r.type === "distributed").map((r) => Number(r.colocation)));
      expect(groups.size).toBe(1);
    });

    it.runIf(kind.name === "citus")("applies a later migration that changes distributed and reference tables in one transaction", async () => {
      // Rows for the correlated update below, inserted one by one (each names its run).
      await t.store.db.insert(runs).values({ projectId: P, id: "m1", name: "m", status: "running", startedAt: at(0), lastEventAt: at(0) });
      await t.store.db.insert(events).values({ projectId: P, runId: "m1", id: "m1-1", seq: 7, type: "run.start", taskId: null, ts: at(0), payload: {} });
      const later = {
        tag: "9999_later",
        hash: "later",
        sql: [
          `ALTER TABLE "runs" ADD COLUMN "probe_ms" bigint`,
          `CREATE INDEX "tasks_probe_idx" ON "tasks" USING btree ("project_id","run_id","name")`,
          `ALTER TABLE "projects" ADD COLUMN "probe_days" integer`,
          `UPDATE "runs" SET "probe_ms" = coalesce((SELECT max("seq") FROM "events" e WHERE e."project_id" = "runs"."project_id" AND e."run_id" = "runs"."id"), 0)`,
        ].join("--> statement-breakpoint\n"),
      };
      expect(await migrate(t.store, [...MIGRATIONS, later])).toEqual({ applied: ["9999_later"] });
      const [col] = await selectRows<{ n: number }>(t.store.db, sql`select count(*)::int as n from runs where probe_ms is not null`);
      const [all] = await selectRows<{ n: number }>(t.store.db, sql`select count(*)::int as n from runs`);
      expect(col?.n).toBe(all?.n);
      const [m1] = await selectRows<{ probe_ms: string | number }>(t.store.db, sql`select probe_ms from runs where project_id = ${P} and id = 'm1'`);
      expect(Number(m1?.probe_ms)).toBe(7);
      expect((await distribute(t.store)).every((s) => s.action === "already")).toBe(true);
    });
  });
}

describe.runIf(process.env.RUNTRAIL_TEST_STORE === "citus")("db distribute on a Citus database whose coordinator is not registered", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openCitusTestStore({ distribute: false, registerCoordinator: false });
  });
  afterAll(() => t.cleanup());

  it("refuses, naming citus_set_coordinator_host, and leaves every table as it was", async () => {
    const err = await distribute(t.store).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotCitusError);
    expect((err as Error).message).toContain("citus_set_coordinator_host");
    const [n] = await selectRows<{ n: number }>(t.store.db, sql`select count(*)::int as n from pg_dist_partition`);
    expect(n?.n).toBe(0);
  });
});

describe.runIf(process.env.RUNTRAIL_TEST_STORE === "citus")("db distribute on a Citus database that already holds runs", () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openCitusTestStore({ distribute: false });
  });
  afterAll(() => t.cleanup());

  it("moves the rows into the shards and reads the same runs back", async () => {
    for (const id of ["r1", "r2", "r3"]) await writeEvents(t.store.db, P, sampleRun(id));
    const before = await Promise.all(["r1", "r2", "r3"].map((id) => getRun(t.store.db, P, id)));
    const done = await distribute(t.store, { shardCount: 4 });
    expect(done.filter((s) => s.kind !== "coordinator").every((s) => s.action === "distributed")).toBe(true);
    const after = await Promise.all(["r1", "r2", "r3"].map((id) => getRun(t.store.db, P, id)));
    expect(after).toEqual(before);
    const [count] = await selectRows<{ n: number }>(t.store.db, sql`select count(*)::int as n from events`);
    expect(count?.n).toBe(3 * 9);
    // The coordinator's own copy of the rows, now in the shards, was emptied.
    const [shell] = await selectRows<{ bytes: number }>(t.store.db, sql`select pg_relation_size('events')::int as bytes`);
    expect(shell?.bytes).toBe(0);
  });
});
