/**
 * The big run's page in a real browser (Debian's Chromium via playwright-core): how
 * long until its first rows are painted and until its whole timeline is in, how long
 * the main thread was blocked meanwhile, and how smoothly the timeline scrolls then.
 */
import { launchChromium } from "./browser.mjs";
import { median } from "./stats.mjs";

/** Long tasks (> 50 ms on the main thread) from the start of the page, for blocking time. */
const OBSERVE_LONG_TASKS = `
  window.__longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push(e.duration); })
    .observe({ type: "longtask", buffered: true });
`;

/** Scrolls the timeline a screen per frame, `frames` times; answers each frame's duration. */
async function scrollFrames(page, frames) {
  return page.evaluate(async (n) => {
    const box = document.querySelector('[data-testid="timeline-scroll"]');
    const out = [];
    let last = performance.now();
    for (let i = 0; i < n; i++) {
      box.scrollTop += box.clientHeight;
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = performance.now();
      out.push(now - last);
      last = now;
    }
    return out;
  }, frames);
}

/** One visit: ms from navigation start to first contentful paint and to the whole timeline. */
async function visit(page, url, tasks) {
  await page.goto(url);
  const label = `${tasks.toLocaleString("en-US")} tasks`;
  await page.waitForFunction(
    (text) => !document.querySelector('[data-testid="timeline-loading"]') && document.querySelector('[aria-label="Timeline"] h2')?.textContent?.includes(text),
    label,
    { timeout: 300_000, polling: 50 },
  );
  return page.evaluate(() => ({
    complete: performance.now(),
    firstPaint: performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? Number.NaN,
    longTasks: window.__longTasks,
  }));
}

/**
 * `visits` fresh visits (a new browser context each: empty cache), then one revisit in
 * the last context (an ended run's rest comes from the HTTP cache), then a scroll.
 */
export async function measureBrowser(url, tasks, visits = 3) {
  const browser = await launchChromium();
  try {
    const fresh = [];
    let context;
    let page;
    for (let i = 0; i < visits; i++) {
      await context?.close();
      context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      await context.addInitScript(OBSERVE_LONG_TASKS);
      page = await context.newPage();
      fresh.push(await visit(page, url, tasks));
    }
    const revisit = await visit(page, url, tasks);
    const frames = await scrollFrames(page, 60);
    await context?.close();
    const blocking = (v) => v.longTasks.reduce((sum, d) => sum + Math.max(0, d - 50), 0);
    return {
      firstPaint: median(fresh.map((v) => v.firstPaint)),
      complete: median(fresh.map((v) => v.complete)),
      longestTask: median(fresh.map((v) => Math.max(0, ...v.longTasks))),
      blocking: median(fresh.map(blocking)),
      revisit: revisit.complete,
      frameMedian: median(frames),
      frameMax: Math.max(...frames),
    };
  } finally {
    await browser.close();
  }
}
