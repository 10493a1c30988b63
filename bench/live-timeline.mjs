/**
 * A running run's page at scale, in a real browser: what one live flush costs (a few
 * tasks added or changed, ingested over HTTP while the page is open and delivered to it
 * over server-sent events) on a running run of BENCH_TASKS (default 100,000) tasks,
 * against the same flushes on a running run of 1,000 tasks, in the same browser in the
 * same run. A timeline that applies live changes incrementally costs about the same on both.
 *
 * Each flush is timed inside the page, from the stream's message arriving to the first
 * animation frame after the timeline's task count shows it; the page batches messages
 * for 50 ms (use-live-run.ts BATCH_MS) before applying them, so that is the floor. The
 * longest main-thread task in each flush's window is reported too (PerformanceObserver).
 *
 * Needs `npm run build`. Store: as bench/dashboard.mjs (BENCH_DATABASE_URL, else PGlite).
 * Browser: Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_ID, writeEvents } from "@runtrail/db";
import { bigRunEvents } from "@runtrail/db/testing/seed";
// drizzle-orm: a root devDependency (and @runtrail/db's), for the analyze below.
import { sql } from "drizzle-orm";
import { launchChromium, openTimeline } from "./browser.mjs";
import { BENCH_API_KEY, startLocalServer } from "./local-server.mjs";
import { runServedBench } from "./run-bench.mjs";
import { fillStore } from "./seed-store.mjs";
import { median, medianAndP90 } from "./stats.mjs";

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const REF_TASKS = 1000;
const FLUSHES = 20;
const WARMUP = 3;
const LOAD_TIMEOUT_MS = 600_000;

/** A running run: the seeded run's events without its run.complete, ending just before now. */
async function seedRunning(store, runId, tasks) {
  const events = bigRunEvents({ runId, tasks, startedAt: new Date(Date.now() - tasks - 60_000) }).slice(0, -1);
  for (let i = 0; i < events.length; i += 1000) {
    await writeEvents(store.db, DEFAULT_PROJECT_ID, events.slice(i, i + 1000));
    // Statistics early, or the planner scans every task so far on each batch (see dashboard.mjs).
    if (i === 4000) await store.db.execute(sql`analyze tasks, events`);
  }
  return events.length;
}

/** In the page before it loads: stamps each live `tasks` message's arrival, and keeps long tasks. */
function instrument() {
  window.__arrivals = [];
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push({ start: e.startTime, end: e.startTime + e.duration });
  }).observe({ type: "longtask", buffered: true });
  const add = EventSource.prototype.addEventListener;
  EventSource.prototype.addEventListener = function (type, fn, opts) {
    if (type !== "tasks") return add.call(this, type, fn, opts);
    return add.call(this, type, (e) => {
      window.__arrivals.push(performance.now());
      fn(e);
    }, opts);
  };
}

/** Resolves, in the page, on the first frame after the task count reads `want`: that time. */
function waitForCount(want) {
  const el = document.querySelector('[data-testid="timeline-count"]');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r(performance.now())));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      observer.disconnect();
      reject(new Error(`count stayed ${el.textContent}, wanted ${want}`));
    }, 30_000);
    const check = () => {
      if (el.textContent.replace(/\D/g, "") !== String(want)) return false;
      observer.disconnect();
      clearTimeout(timer);
      frame().then(resolve);
      return true;
    };
    const observer = new MutationObserver(check);
    observer.observe(el, { childList: true, subtree: true, characterData: true });
    check();
  });
}

async function openRun(page, url) {
  await openTimeline(page, url, LOAD_TIMEOUT_MS);
  await page.waitForSelector('[data-testid="live-indicator"], [aria-live]', { timeout: 30_000 }).catch(() => {});
  // Let the stream open and the last chunk's frame pass.
  await page.waitForTimeout(1500);
}

/** One flush's events: three tasks start under the first group, the previous step's three complete. */
function flushEvents(runId, step, seq) {
  const ts = () => new Date().toISOString();
  const out = [];
  for (let k = 0; k < 3; k++) {
    out.push({ id: `${runId}-live-${step}-${k}-s`, runId, seq: seq++, type: "task.start", taskId: `live-${step}-${k}`, ts: ts(), name: `live ${step}.${k}`, parentTaskId: "task-0" });
    if (step > 0) out.push({ id: `${runId}-live-${step}-${k}-c`, runId, seq: seq++, type: "task.complete", taskId: `live-${step - 1}-${k}`, ts: ts(), output: { ok: true } });
  }
  return { events: out, seq };
}

async function ingest(server, events) {
  const res = await fetch(`${server.url}/api/v1/ingest?results=errors`, {
    method: "POST",
    headers: { authorization: `Bearer ${BENCH_API_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ batch: events }),
  });
  if (res.status !== 200) throw new Error(`ingest: ${res.status} ${await res.text()}`);
}

async function measureRun(server, page, runId, tasks, nextSeq) {
  let seq = nextSeq;
  const flush = [];
  const longest = [];
  for (let step = 0; step < WARMUP + FLUSHES; step++) {
    const want = tasks + 3 * (step + 1);
    const shown = page.evaluate(waitForCount, want);
    shown.catch(() => {});
    const built = flushEvents(runId, step, seq);
    seq = built.seq;
    await ingest(server, built.events);
    const end = await shown;
    const { arrived, long } = await page.evaluate((until) => {
      const arrived = window.__arrivals.at(-1);
      const long = window.__long.filter((l) => l.end > arrived && l.start < until).reduce((m, l) => Math.max(m, l.end - l.start), 0);
      return { arrived, long };
    }, end);
    if (step >= WARMUP) {
      flush.push(end - arrived);
      longest.push(long);
    }
    // Let the page settle (clock ticks, minimap) before the next flush.
    await page.waitForTimeout(400);
  }
  return { flush, longest };
}

async function main() {
  const seqs = {};
  const server = await startLocalServer({
    prepare: (where) =>
      fillStore(where, async (store) => {
        const t = performance.now();
        seqs.ref = (await seedRunning(store, "ref", REF_TASKS)) + 1;
        seqs.big = (await seedRunning(store, "big", TASKS)) + 1;
        console.log(`  seeded running runs of ${REF_TASKS.toLocaleString("en-US")} and ${TASKS.toLocaleString("en-US")} tasks in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }),
  });
  const browser = await launchChromium();
  try {
    console.log(`\nserver on ${server.label}\n`);
    const results = {};
    for (const [run, tasks] of [
      ["ref", REF_TASKS],
      ["big", TASKS],
    ]) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.addInitScript(instrument);
      await openRun(page, `${server.url}/runs/${run}`);
      results[run] = await measureRun(server, page, run, tasks, seqs[run]);
      await page.close();
    }
    const { ref, big } = results;
    console.log(`one live flush (3 tasks added, 3 completed), stream message to the frame showing it (median / p90 of ${FLUSHES}; includes the page's 50 ms batch)\n`);
    console.log(`                ${`${REF_TASKS.toLocaleString("en-US")} tasks`.padStart(18)}  ${`${TASKS.toLocaleString("en-US")} tasks`.padStart(18)}   ratio (median)`);
    const cell = (xs) => medianAndP90(xs).padStart(18);
    console.log(`flush           ${cell(ref.flush)}  ${cell(big.flush)}   ${(median(big.flush) / median(ref.flush)).toFixed(2)}x`);
    // The browser reports only tasks over 50 ms: 0 means none that long.
    console.log(`longest task    ${cell(ref.longest)}  ${cell(big.longest)}   (main-thread tasks over 50 ms; 0: none)`);
  } finally {
    await browser.close();
    await server.stop();
  }
}

runServedBench(main);
