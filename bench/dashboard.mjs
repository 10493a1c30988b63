/**
 * Dashboard at scale: how fast the server answers the runs list (first page and a
 * page deep in the list) and the run page of a 100,000-task run, against the bare
 * SQL of the same queries timed on the same store in the same run.
 *
 * Store: BENCH_DATABASE_URL, else the local Postgres (postgres://postgres@127.0.0.1:5432/postgres)
 * when it answers, both as a throwaway database; else PGlite in a temp dir.
 * BENCH_RUNS (default 1,000,000 on Postgres, 200,000 on PGlite) runs are bulk-inserted
 * with one SQL generate_series per 100,000 (not through ingest: the list only needs
 * rows); the big run (BENCH_TASKS, default 100,000) goes through writeEvents, 1000
 * events a call, as ingest would store it.
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_ID, encodeCursor, getRunTimeline, listRuns, migrate, openStore, selectRows } from "@runtrail/db";
import { seedBigRun } from "@runtrail/db/testing/seed";
// drizzle-orm: a root devDependency (and @runtrail/db's), for the bulk SQL below.
import { sql } from "drizzle-orm";
import { startLocalServer, stopAllServers, webIsBuilt } from "./local-server.mjs";

const LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres";
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const BIG_RUN = "bench-big-run";
const REPEAT = 7;

async function reachable(url) {
  let store;
  try {
    store = await openStore({ databaseUrl: url, maxConnections: 1 });
    await store.db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  } finally {
    await store?.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(1)} ms`;

/** Median wall time of `fn` over REPEAT calls, after one warm-up call. */
async function time(fn) {
  let last = await fn();
  const out = [];
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    last = await fn();
    out.push(performance.now() - t);
  }
  return { ms: median(out), last };
}

async function insertRuns(db, total) {
  const chunk = 100_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(from + chunk - 1, total);
    await db.execute(sql`
      insert into runs (project_id, id, name, status, started_at, ended_at, last_event_at, start_seen, version, last_seq)
      select ${DEFAULT_PROJECT_ID}, 'bench-' || lpad(g::text, 8, '0'), (array['deploy-web', 'nightly report', 'agent'])[1 + g % 3],
             case when g % 10 = 0 then 'failed' else 'completed' end,
             t, t + interval '2 seconds', t + interval '2 seconds', 1, 2, 2
      from generate_series(${from}::int, ${to}::int) g, lateral (select timestamptz '2029-01-01' + g * interval '1 second' as t) s`);
    process.stdout.write(`\r  runs inserted: ${to.toLocaleString("en-US")}`);
  }
  process.stdout.write("\n");
}

async function main() {
  if (!webIsBuilt()) {
    console.log("apps/web is not built: run `npm run build` first.");
    return;
  }
  if (!process.env.BENCH_DATABASE_URL && !process.env.DATABASE_URL && (await reachable(LOCAL_PG))) process.env.BENCH_DATABASE_URL = LOCAL_PG;
  const onPostgres = Boolean(process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL);
  const RUNS = Number(process.env.BENCH_RUNS ?? (onPostgres ? 1_000_000 : 200_000));
  const bare = {};
  let deepCursor = "";

  const server = await startLocalServer({
    async prepare({ databaseUrl, dataDir }) {
      const store = await openStore({ databaseUrl, dataDir });
      try {
        await migrate(store);
        let t = performance.now();
        await insertRuns(store.db, RUNS);
        console.log(`  ${RUNS.toLocaleString("en-US")} runs in ${((performance.now() - t) / 1000).toFixed(1)} s (SQL generate_series)`);
        t = performance.now();
        await seedBigRun(store.db, DEFAULT_PROJECT_ID, {
          runId: BIG_RUN,
          tasks: TASKS,
          startedAt: new Date(Date.UTC(2031, 0, 1)),
          // A fresh database has no statistics: until the first analyze the planner reads a
          // run's tasks by tasks_version_idx instead of the primary key, and every batch
          // scans all the tasks so far (seen: 100k tasks taking minutes). Autovacuum would
          // get there later; the bench does not wait for it.
          afterBatch: async (i) => {
            if (i === 4) await store.db.execute(sql`analyze tasks, events`);
          },
        });
        console.log(`  1 run with ${TASKS.toLocaleString("en-US")} tasks in ${((performance.now() - t) / 1000).toFixed(1)} s (writeEvents, 1000 events a call)`);
        await store.db.execute(sql`analyze`);
        // A cursor from the middle of the list: what following many "Older" links reaches.
        const [mid] = await selectRows(store.db, sql`select started_at, id from runs where project_id = ${DEFAULT_PROJECT_ID} order by started_at desc, id desc offset ${Math.floor(RUNS / 2)} limit 1`);
        deepCursor = encodeCursor(new Date(mid.started_at).toISOString(), mid.id);
        bare.select1 = (await time(() => store.db.execute(sql`select 1`))).ms;
        bare.first = await time(() => listRuns(store.db, DEFAULT_PROJECT_ID, {}));
        bare.deep = await time(() => listRuns(store.db, DEFAULT_PROJECT_ID, { cursor: deepCursor }));
        bare.big = await time(() => getRunTimeline(store.db, DEFAULT_PROJECT_ID, BIG_RUN));
      } finally {
        await store.close();
      }
    },
  });
  try {
    console.log(`\nserver on ${server.label}\n`);
    const get = (path) => async () => {
      const res = await fetch(`${server.url}${path}`);
      const body = await res.text();
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
      return body;
    };
    const health = await time(get("/api/health"));
    const rows = [
      ["GET /runs (first page)", await time(get("/runs")), bare.first, `${bare.first.last.data.length} of ${(RUNS + 1).toLocaleString("en-US")} runs`],
      ["GET /runs?cursor=<middle>", await time(get(`/runs?cursor=${deepCursor}`)), bare.deep, `${bare.deep.last.data.length} runs, ${Math.floor(RUNS / 2).toLocaleString("en-US")} deep`],
      [`GET /runs/${BIG_RUN}`, await time(get(`/runs/${BIG_RUN}`)), bare.big, `${bare.big.last.tasks.length.toLocaleString("en-US")} tasks`],
    ];
    console.log(`reference: select 1 ${ms(bare.select1)}, GET /api/health ${ms(health.ms)}  (medians of ${REPEAT})\n`);
    console.log("request                          server     bare SQL   ratio   HTML       rows");
    for (const [name, page, query, count] of rows) {
      const kb = `${(Buffer.byteLength(page.last) / 1024).toFixed(0)} KiB`;
      console.log(`${name.padEnd(32)} ${ms(page.ms).padStart(9)}  ${ms(query.ms).padStart(9)}  ${`${(page.ms / query.ms).toFixed(1)}x`.padStart(6)}  ${kb.padStart(9)}  ${count}`);
    }
  } finally {
    await server.stop();
  }
}

process.once("SIGINT", () => void stopAllServers().finally(() => process.exit(130)));
main().catch(async (err) => {
  console.error(err);
  await stopAllServers();
  process.exit(1);
});
