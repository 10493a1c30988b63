/**
 * Dashboard at scale: how fast the server answers the runs list (first page and a
 * page deep in the list) over a million runs, and the run page of a 100,000-task run
 * (its HTML, then the stream of the rest of its timeline), each against the same
 * statements the page runs, timed on the same store in the same run; then the big
 * run's page in a real browser. See README.md for how to read it.
 *
 * Store: BENCH_DATABASE_URL, else the local Postgres (postgres://postgres@127.0.0.1:5432/postgres)
 * when it answers, both as a throwaway database; else (or with BENCH_STORE=pglite) PGlite
 * in a temp dir.
 * BENCH_RUNS (default 1,000,000 on Postgres, 200,000 on PGlite) runs are bulk-inserted
 * with one SQL generate_series per 100,000 (not through ingest: the list only needs
 * rows); the big run (BENCH_TASKS, default 100,000) goes through writeEvents, 1000
 * events a call, as ingest would store it. BENCH_BROWSER=0 skips the browser.
 */
import { performance } from "node:perf_hooks";
import {
  countRunsByStatus,
  DEFAULT_PROJECT_ID,
  encodeCursor,
  getRunOnly,
  getRunTimeline,
  listRuns,
  openStore,
  readTimeline,
  selectRows,
} from "@runtrail/db";
import { seedBigRun } from "@runtrail/db/testing/seed";
// drizzle-orm: a root devDependency (and @runtrail/db's), for the bulk SQL below.
import { sql } from "drizzle-orm";
import { measureBrowser } from "./dashboard-browser.mjs";
import { closeAgent, get } from "./dashboard-http.mjs";
import { startLocalServer } from "./local-server.mjs";
import { runServedBench } from "./run-bench.mjs";
import { fillStore } from "./seed-store.mjs";
import { median, timed } from "./stats.mjs";

const LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres";
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const BIG_RUN = "bench-big-run";
const REPEAT = 7;
/** As app/runs/[id]/page.tsx: the tasks the run page carries itself. */
const FIRST_TASKS = 1000;
/** As app/runs/page.tsx: runs per page of the list. */
const LIST_LIMIT = 50;

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

const ms = (x) => `${x.toFixed(1)} ms`;
const n = (x) => x.toLocaleString("en-US");
const kib = (b) => (b >= 10 * 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MiB` : `${(b / 1024).toFixed(0)} KiB`);

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
    process.stdout.write(`\r  runs inserted: ${n(to)}`);
  }
  process.stdout.write("\n");
}

/** The statements of /runs, as the page makes them: one page of the list and the status tabs' counts, together. */
const runsPage = (db, filter) =>
  Promise.all([listRuns(db, DEFAULT_PROJECT_ID, { ...filter, limit: LIST_LIMIT }), countRunsByStatus(db, DEFAULT_PROJECT_ID, {})]);

/** The statements of /runs/:id/timeline: the run, then every page of its timeline after `after`. */
async function timelineRest(db, after) {
  await getRunOnly(db, DEFAULT_PROJECT_ID, BIG_RUN);
  let tasks = 0;
  let pages = 0;
  for await (const page of readTimeline(db, DEFAULT_PROJECT_ID, BIG_RUN, { after })) {
    tasks += page.tasks.length;
    pages += 1;
  }
  return { tasks, pages };
}

const tabs = (counts) =>
  Object.entries(counts)
    .filter(([, c]) => c.count > 0)
    .map(([s, c]) => `${s} ${c.capped ? `${n(c.count)}+` : n(c.count)}`)
    .join(", ");

async function main() {
  if (process.env.BENCH_STORE === "pglite") {
    delete process.env.BENCH_DATABASE_URL;
    delete process.env.DATABASE_URL;
  } else if (!process.env.BENCH_DATABASE_URL && !process.env.DATABASE_URL && (await reachable(LOCAL_PG))) {
    process.env.BENCH_DATABASE_URL = LOCAL_PG;
  }
  const onPostgres = Boolean(process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL);
  const RUNS = Number(process.env.BENCH_RUNS ?? (onPostgres ? 1_000_000 : 200_000));
  const ref = {};
  let deepCursor = "";
  /** @type {Awaited<ReturnType<typeof getRunTimeline>> | undefined} */
  let head;

  const server = await startLocalServer({
    prepare: (where) =>
      fillStore(where, async (store) => {
        let t = performance.now();
        await insertRuns(store.db, RUNS);
        console.log(`  ${n(RUNS)} runs in ${((performance.now() - t) / 1000).toFixed(1)} s (SQL generate_series)`);
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
        console.log(`  1 run with ${n(TASKS)} tasks in ${((performance.now() - t) / 1000).toFixed(1)} s (writeEvents, 1000 events a call)`);
        // Statistics, as autovacuum would gather them; no vacuum (no visibility map), so
        // index-only scans still visit the heap, as they do for recently written runs.
        await store.db.execute(sql`analyze`);
        // A cursor from the middle of the list: what following many "Older" links reaches.
        const [mid] = await selectRows(store.db, sql`select started_at, id from runs where project_id = ${DEFAULT_PROJECT_ID} order by started_at desc, id desc offset ${Math.floor(RUNS / 2)} limit 1`);
        deepCursor = encodeCursor(new Date(mid.started_at).toISOString(), mid.id);
        const db = store.db;
        ref.select1 = (await timed(() => db.execute(sql`select 1`), REPEAT)).ms;
        ref.first = await timed(() => runsPage(db, {}), REPEAT);
        ref.deep = await timed(() => runsPage(db, { cursor: deepCursor }), REPEAT);
        ref.big = await timed(() => getRunTimeline(db, DEFAULT_PROJECT_ID, BIG_RUN, { limit: FIRST_TASKS }), REPEAT);
        head = ref.big.last;
        ref.rest = await timed(() => timelineRest(db, head.next), REPEAT);
      }),
  });
  if (!head) throw new Error("the store was not prepared: no big run read");
  try {
    console.log(`\nserver on ${server.label}\n`);
    const timedGet = async (path) => {
      const r = await timed(() => get(`${server.url}${path}`), REPEAT);
      const firstBytes = [];
      for (let i = 0; i < 3; i++) firstBytes.push((await get(`${server.url}${path}`)).firstByteMs);
      return { ...r, firstByteMs: median(firstBytes) };
    };
    const health = await timedGet("/api/health");
    const big = `/runs/${BIG_RUN}`;
    const restPath = `${big}/timeline?after=${encodeURIComponent(head.next)}&v=${head.run.version}`;
    const [first, firstCounts] = ref.first.last;
    const [deep] = ref.deep.last;
    const rows = [
      ["GET /runs (first page)", await timedGet("/runs"), ref.first.ms, `${first.data.length} of ${n(RUNS + 1)} runs; tabs: ${tabs(firstCounts)}`],
      ["GET /runs?cursor=<middle>", await timedGet(`/runs?cursor=${deepCursor}`), ref.deep.ms, `${deep.data.length} runs, ${n(Math.floor(RUNS / 2))} deep`],
      [`GET ${big}`, await timedGet(big), ref.big.ms, `${n(head.tasks.length)} of ${n(head.run.taskCounts.total)} tasks in the page`],
      [
        `GET ${big}/timeline?after=…`,
        await timedGet(restPath),
        ref.rest.ms,
        `${n(ref.rest.last.tasks)} tasks in ${ref.rest.last.pages} chunks`,
      ],
    ];
    console.log(`reference: select 1 ${ms(ref.select1)}, GET /api/health ${ms(health.ms)}  (medians of ${REPEAT})\n`);
    console.log("request                               server  1st byte   reference  ratio   sent (gzip / decoded)   rows");
    for (const [name, page, reference, count] of rows) {
      const sent = `${kib(page.last.wireBytes)} / ${kib(page.last.bytes)}`;
      console.log(
        `${name.padEnd(34)} ${ms(page.ms).padStart(9)} ${ms(page.firstByteMs).padStart(9)}  ${ms(reference).padStart(9)}  ${`${(page.ms / reference).toFixed(1)}x`.padStart(5)}   ${sent.padEnd(22)}  ${count}`,
      );
    }
    const serverTotal = rows[2][1].ms + rows[3][1].ms;
    if (process.env.BENCH_BROWSER === "0") return;
    console.log(`\nbrowser (Chromium, 1440×900; medians of 3 fresh visits), ${big}:`);
    const b = await measureBrowser(`${server.url}${big}`, head.run.taskCounts.total);
    console.log(`  first contentful paint              ${ms(b.firstPaint).padStart(10)}   (the header and the first rows are in the HTML)`);
    console.log(
      `  timeline complete (${n(head.run.taskCounts.total)} tasks)  ${ms(b.complete).padStart(10)}   reference: server time of the page + the stream ${ms(serverTotal)}, ratio ${(b.complete / serverTotal).toFixed(1)}x`,
    );
    console.log(`  revisit, rest from the HTTP cache   ${ms(b.revisit).padStart(10)}`);
    console.log(`  main thread until complete          longest task ${ms(b.longestTask)}, blocking time ${ms(b.blocking)} (sum of long tasks past 50 ms)`);
    console.log(`  scrolling a screen a frame, 60 frames: median frame ${ms(b.frameMedian)}, longest ${ms(b.frameMax)}`);
  } finally {
    closeAgent();
    await server.stop();
  }
}

runServedBench(main, closeAgent);
