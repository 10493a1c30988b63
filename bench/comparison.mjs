/**
 * Run comparison at scale: getRunComparison (a run against the last completed run of
 * its name, task name by task name) for a 100,000-task run against a 100,000-task
 * baseline, with every task under its own name (the worst case: 100,000 names to join
 * and sort), in a project with many other runs of the same name that failed in
 * between (the baseline lookup walks past them). Reference: the bare read of the same
 * two runs' tasks (count and summed duration per run by primary key), timed on the
 * same store in the same run, and the run page's own task read (getRunTimeline for its
 * first 1,000 tasks, then every page of readTimeline for the rest).
 * Then the same runs with their tasks spread over 50 names, the usual shape.
 *
 * Store: BENCH_DATABASE_URL, else the local Postgres when it answers, as a throwaway
 * database; else PGlite in memory. BENCH_TASKS (default 100,000) tasks per big run,
 * BENCH_RUNS (default 200,000) other runs.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_ID, getRunComparison, getRunTimeline, migrate, openStore, readTimeline, selectRows } from "@runtrail/db";
import { seedBigRun } from "@runtrail/db/testing/seed";
import { sql } from "drizzle-orm";
import { timed } from "./stats.mjs";

const LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres";
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 200_000);
const REPEAT = 7;
const P = DEFAULT_PROJECT_ID;

const ms = (x) => `${x.toFixed(1)} ms`;

/** Every task the run page reads for a run: its first tasks, then the rest it streams. */
async function readWholeTimeline(db, runId) {
  const head = await getRunTimeline(db, P, runId, { limit: 1000 });
  let tasks = head?.tasks.length ?? 0;
  if (head?.next) for await (const page of readTimeline(db, P, runId, { after: head.next })) tasks += page.tasks.length;
  return tasks;
}

const time = (fn) => timed(fn, REPEAT);

/** A throwaway database on Postgres (dropped at the end), or null when none answers. */
async function throwawayPostgres() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? LOCAL_PG;
  let admin;
  try {
    admin = await openStore({ databaseUrl: adminUrl, maxConnections: 1 });
    await admin.db.execute(sql`select 1`);
  } catch {
    await admin?.close();
    return null;
  }
  const name = `runtrail_bench_${randomBytes(5).toString("hex")}`;
  await admin.db.execute(sql.raw(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.db.execute(sql.raw(`drop database if exists ${name} with (force)`));
      await admin.close();
    },
  };
}

async function main() {
  const pg = await throwawayPostgres();
  const store = await openStore(pg ? { databaseUrl: pg.url, maxConnections: 2 } : { dataDir: null });
  console.log(`store: ${pg ? "Postgres" : "PGlite (in memory)"}`);
  try {
    await migrate(store);
    const db = store.db;
    let t = performance.now();
    const baselineAt = new Date(Date.UTC(2031, 0, 1));
    const runAt = new Date(Date.UTC(2031, 0, 2));
    await seedBigRun(db, P, {
      runId: "baseline",
      tasks: TASKS,
      startedAt: baselineAt,
      afterBatch: async (i) => {
        if (i === 4) await db.execute(sql`analyze tasks, events`);
      },
    });
    await seedBigRun(db, P, { runId: "current", tasks: TASKS, startedAt: runAt });
    console.log(`  2 runs of ${TASKS.toLocaleString("en-US")} tasks in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    // Other runs: most of another name, and every 400th of the big runs' own name, failed,
    // started between the baseline and the current run (the lookup walks back past them).
    const [{ name }] = await selectRows(db, sql`select name from runs where project_id = ${P} and id = 'current'`);
    t = performance.now();
    await db.execute(sql`
      insert into runs (project_id, id, name, status, started_at, ended_at, last_event_at, start_seen, version, last_seq)
      select ${P}, 'other-' || g, case when g % 400 = 0 then ${name} else 'nightly report' end,
             case when g % 400 = 0 then 'failed' else 'completed' end,
             s.t, s.t + interval '1 second', s.t + interval '1 second', 1, 2, 2
      from generate_series(1, ${RUNS}::int) g,
           lateral (select ${baselineAt.toISOString()}::timestamptz + g * (interval '1 day' / (${RUNS}::int + 1)) as t) s`);
    await db.execute(sql`analyze`);
    console.log(`  ${RUNS.toLocaleString("en-US")} other runs in ${((performance.now() - t) / 1000).toFixed(1)} s (${Math.floor(RUNS / 400).toLocaleString("en-US")} failed runs of the same name between the two)`);

    const bare = await time(() =>
      selectRows(
        db,
        sql`select run_id, count(*), sum(extract(epoch from ended_at - started_at)) from tasks
            where project_id = ${P} and run_id in ('current', 'baseline') group by run_id`,
      ),
    );
    const timeline = await time(() => readWholeTimeline(db, "current"));
    const comparison = await time(() => getRunComparison(db, P, "current"));
    const c = comparison.last;
    if (c?.baseline?.id !== "baseline" || c.nameCount !== TASKS) throw new Error(`unexpected comparison: baseline ${c?.baseline?.id}, ${c?.nameCount} names`);
    console.log(`\nreference: both runs' tasks counted and summed by primary key ${ms(bare.ms)}; the run page's task read (getRunTimeline) ${ms(timeline.ms)}  (medians of ${REPEAT})\n`);
    console.log(`getRunComparison: ${ms(comparison.ms)} = ${(comparison.ms / bare.ms).toFixed(1)}x the bare read, ${(comparison.ms / timeline.ms).toFixed(2)}x the page's own read`);
    console.log(`  every task under its own name: ${c.names.length} of ${c.nameCount.toLocaleString("en-US")} names answered`);

    // The usual shape: many tasks, a few dozen names (steps repeated per item).
    await db.execute(sql`update tasks set name = 'step-' || (substr(id, 6)::int % 50) where project_id = ${P} and run_id in ('current', 'baseline')`);
    await db.execute(sql`vacuum analyze tasks`);
    const bare50 = await time(() =>
      selectRows(db, sql`select run_id, count(*), sum(extract(epoch from ended_at - started_at)) from tasks where project_id = ${P} and run_id in ('current', 'baseline') group by run_id`),
    );
    const fifty = await time(() => getRunComparison(db, P, "current"));
    if (fifty.last?.nameCount !== 50) throw new Error(`expected 50 names, got ${fifty.last?.nameCount}`);
    console.log(`getRunComparison, 50 names: ${ms(fifty.ms)} = ${(fifty.ms / bare50.ms).toFixed(1)}x the bare read (${ms(bare50.ms)} this time)`);
  } finally {
    await store.close();
    await pg?.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
