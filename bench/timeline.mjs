/**
 * The run page's timeline at scale, in a real browser: what one step of panning,
 * zooming and scrolling costs on a run of BENCH_TASKS (default 100,000) tasks, against
 * the same steps on a run of 1,000 tasks measured in the same browser in the same run.
 * A virtualized timeline does no per-task work per step, so the ratios stay near 1.
 *
 * Each step is timed inside the page, from the input event to the first animation
 * frame after the timeline shows its result (the window readout or the rendered rows
 * changed), so the time includes React's render and commit, not the bench's round trips.
 *
 * Needs `npm run build`. Store: as bench/dashboard.mjs (BENCH_DATABASE_URL, else PGlite).
 * Browser: Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { performance } from "node:perf_hooks";
import { DEFAULT_PROJECT_ID } from "@runtrail/db";
import { seedBigRun } from "@runtrail/db/testing/seed";
// drizzle-orm: a root devDependency (and @runtrail/db's), for the analyze below.
import { sql } from "drizzle-orm";
import { launchChromium, openTimeline } from "./browser.mjs";
import { startLocalServer } from "./local-server.mjs";
import { runServedBench } from "./run-bench.mjs";
import { fillStore } from "./seed-store.mjs";
import { median, medianAndP90 } from "./stats.mjs";

const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const REF_TASKS = 1000;
const STEPS = 40;
const LOAD_TIMEOUT_MS = 600_000;

/**
 * Runs STEPS steps of one interaction in the page; returns each step's ms. `kind`:
 * pan (Shift + wheel), zoom (Ctrl + wheel, in then out), scroll (the rows, a page at a time).
 */
function measure([kind, steps]) {
  const section = document.querySelector('section[aria-label="Timeline"]');
  const rows = document.querySelector('[data-testid="timeline-scroll"]');
  const readout = document.querySelector('[data-testid="timeline-window"]');
  const axis = document.querySelector('[data-testid="timeline-axis"]').getBoundingClientRect();
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  // Resolves true on the first frame after `el` changes (attributes, children or text); false if it never does.
  const changed = (el) =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        observer.disconnect();
        resolve(false);
      }, 3000);
      const observer = new MutationObserver(() => {
        observer.disconnect();
        clearTimeout(timer);
        frame().then(() => resolve(true));
      });
      observer.observe(el, { attributes: true, childList: true, subtree: true, characterData: true });
    });
  const wheel = (init) =>
    section.dispatchEvent(new WheelEvent("wheel", { bubbles: true, cancelable: true, clientX: axis.left + axis.width / 2, clientY: axis.top + 60, ...init }));
  return (async () => {
    const out = [];
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      let done;
      if (kind === "pan") {
        done = changed(readout);
        wheel({ deltaY: i < steps / 2 ? 20 : -20, shiftKey: true });
      } else if (kind === "zoom") {
        done = changed(readout);
        wheel({ deltaY: i < steps / 2 ? -100 : 100, ctrlKey: true });
      } else {
        done = changed(rows.lastElementChild);
        rows.scrollTop += i < steps / 2 ? rows.clientHeight / 2 : -rows.clientHeight / 2;
      }
      // A step that changed nothing (an edge reached) is not a measurement.
      if (await done) out.push(performance.now() - t);
      await frame();
    }
    return out;
  })();
}

async function openRun(page, url) {
  const t = performance.now();
  // A big run's page carries its first 1,000 tasks and streams the rest: time the steps on all of them.
  await openTimeline(page, url, LOAD_TIMEOUT_MS);
  const ready = performance.now() - t;
  // First zoom in a little, so panning has room to move.
  await page.evaluate(() => /** @type {HTMLElement} */ (document.querySelector('[data-testid="timeline-scroll"]')).focus());
  for (let i = 0; i < 3; i++) await page.keyboard.press("w");
  await page.waitForTimeout(300);
  return ready;
}

async function main() {
  const server = await startLocalServer({
    prepare: (where) =>
      fillStore(where, async (store) => {
        const t = performance.now();
        await seedBigRun(store.db, DEFAULT_PROJECT_ID, { runId: "ref", tasks: REF_TASKS });
        await seedBigRun(store.db, DEFAULT_PROJECT_ID, {
          runId: "big",
          tasks: TASKS,
          startedAt: new Date(Date.UTC(2031, 0, 1)),
          // Statistics early, or the planner scans every task so far on each batch (see dashboard.mjs).
          afterBatch: async (i) => {
            if (i === 4) await store.db.execute(sql`analyze tasks, events`);
            if (i % 20 === 0) process.stdout.write(`\r  seeding: ${(i * 1000).toLocaleString("en-US")} events`);
          },
        });
        process.stdout.write("\n");
        console.log(`  seeded runs of ${REF_TASKS.toLocaleString("en-US")} and ${TASKS.toLocaleString("en-US")} tasks in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }),
  });
  const browser = await launchChromium();
  try {
    console.log(`\nserver on ${server.label}\n`);
    const results = {};
    for (const run of ["ref", "big"]) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const ready = await openRun(page, `${server.url}/runs/${run}`);
      results[run] = { ready };
      for (const kind of ["pan", "zoom", "scroll"]) {
        // One warm-up round, then the measured one.
        await page.evaluate(measure, [kind, 6]);
        results[run][kind] = await page.evaluate(measure, [kind, STEPS]);
      }
      await page.close();
    }
    const { ref, big } = results;
    console.log(`page ready (server render, download, hydration, the rest of the tasks streamed): ${(ref.ready / 1000).toFixed(1)} s for ${REF_TASKS.toLocaleString("en-US")} tasks, ${(big.ready / 1000).toFixed(1)} s for ${TASKS.toLocaleString("en-US")}\n`);
    console.log(`one step, input to the frame showing it (median and p90 of ${STEPS}; a frame is 16.7 ms at 60 Hz)\n`);
    console.log(`step      ${`${REF_TASKS.toLocaleString("en-US")} tasks`.padStart(18)}  ${`${TASKS.toLocaleString("en-US")} tasks`.padStart(18)}   ratio (median)`);
    for (const kind of ["pan", "zoom", "scroll"]) {
      const a = ref[kind];
      const b = big[kind];
      if (a.length < STEPS / 2 || b.length < STEPS / 2) throw new Error(`${kind}: too few steps changed the timeline (${a.length}, ${b.length} of ${STEPS})`);
      const cell = (xs) => medianAndP90(xs).padStart(18);
      console.log(`${kind.padEnd(8)}  ${cell(a)}  ${cell(b)}   ${(median(b) / median(a)).toFixed(2)}x`);
    }
  } finally {
    await browser.close();
    await server.stop();
  }
}

runServedBench(main);
