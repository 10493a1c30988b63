import type { Page } from "@playwright/test";
import { expect, test } from "./server-fixture";

const RUN = "busy-10k";
const TASKS = 10_000;
const GROUP = 100;
const LOGS = 5_100;
/** Every FAIL_EVERY-th task fails, and so does its group. */
const FAIL_EVERY = 997;

/**
 * The run's wire events: groups of 99 tasks run in 4 parallel lanes (bars overlap),
 * a few failures, and more task logs than the timeline loads as markers.
 */
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const t0 = Date.UTC(2030, 0, 1);
  const ev = (type: string, ms: number, fields: Record<string, unknown> = {}) =>
    out.push({ id: `${RUN}-e${out.length}`, runId: RUN, seq: out.length, ts: new Date(t0 + ms).toISOString(), type, ...fields });
  ev("run.start", 0, { name: "busy ten thousand" });
  let at = 0;
  for (let g = 0; g < TASKS; g += GROUP) {
    ev("task.start", at, { taskId: `t${g}`, name: `group-${g / GROUP}` });
    const lanes = [at, at, at, at];
    let failed = false;
    for (let i = g + 1; i < g + GROUP; i++) {
      const lane = i % 4;
      const start = lanes[lane] ?? at;
      const end = start + 2 + (i % 7);
      ev("task.start", start, { taskId: `t${i}`, name: `task-${i}`, parentTaskId: `t${g}` });
      if (i <= LOGS) ev("task.log", start + 1, { taskId: `t${i}`, message: `step ${i} says hello`, level: i % 50 === 0 ? "warn" : "info" });
      if (i % FAIL_EVERY === 0) {
        failed = true;
        ev("task.fail", end, { taskId: `t${i}`, errorMessage: `task ${i} broke` });
      } else ev("task.complete", end, { taskId: `t${i}` });
      lanes[lane] = end;
    }
    at = Math.max(...lanes) + 1;
    ev(failed ? "task.fail" : "task.complete", at, { taskId: `t${g}`, ...(failed ? { errorMessage: "a child failed" } : {}) });
  }
  ev("run.log", 5, { message: "started" });
  ev("run.fail", at + 1, { errorMessage: "some tasks failed" });
  return out;
}

const all = events();
const logCount = all.filter((e) => e.type === "task.log" || e.type === "run.log").length;

test.use({ serverName: "tlbig" });

test.beforeAll(async ({ server }) => {
  for (let i = 0; i < all.length; i += 1000) {
    const res = await fetch(`${server.url}/api/v1/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batch: all.slice(i, i + 1000) }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
});

async function width(page: Page): Promise<number> {
  const el = page.getByTestId("timeline-window");
  return Number(await el.getAttribute("data-end")) - Number(await el.getAttribute("data-start"));
}

test("a 10,000-task run zooms, pans and filters to its failures with a few dozen rows rendered; its log markers are capped, and say so", async ({ page, server }) => {
  await page.goto(`${server.url}/runs/${RUN}`);
  await expect(page.getByTestId("run-name")).toHaveText("busy ten thousand");
  expect(logCount).toBeGreaterThan(5000);
  const rows = page.getByTestId("timeline-row");
  await expect(rows.first()).toHaveAttribute("data-task-name", "group-0");
  await expect(page.locator('[data-testid="timeline-minimap"] canvas')).toHaveAttribute("height", /^\d+$/);

  // Markers: the first 5,000 of the run's logs, with a note that there are more.
  await expect(page.getByTestId("log-markers-capped")).toHaveText(`First 5,000 of ${logCount.toLocaleString("en-US")} logs shown`);
  await expect(rows.first().locator("xpath=following-sibling::*[1]").getByTestId("log-marker")).toHaveCount(1);

  // Zoom in from the keyboard: the window narrows, the ticks follow, still a few dozen rows.
  const whole = await width(page);
  const ticks = await page.getByTestId("timeline-tick").allTextContents();
  await page.getByTestId("timeline-scroll").focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press("w");
  await expect.poll(() => width(page)).toBeLessThan(whole / 5);
  await expect.poll(() => page.getByTestId("timeline-tick").allTextContents()).not.toEqual(ticks);
  expect(await rows.count()).toBeLessThan(200);

  // And with Ctrl + wheel over the bars.
  const before = await width(page);
  const box = await page.getByTestId("timeline-axis").boundingBox();
  if (!box) throw new Error("no axis");
  await page.mouse.move(box.x + box.width / 2, box.y + 100);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -300);
  await page.keyboard.up("Control");
  await expect.poll(() => width(page)).toBeLessThan(before * 0.7);

  // Drag on the overview, right of the frame: a window over most of the second half.
  const map = await page.getByTestId("timeline-minimap").boundingBox();
  if (!map) throw new Error("no minimap");
  await page.mouse.move(map.x + map.width * 0.6, map.y + 10);
  await page.mouse.down();
  await page.mouse.move(map.x + map.width * 0.95, map.y + 10, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await width(page)) / whole).toBeCloseTo(0.35, 1);

  // Zoomed, the list still scrolls to its end with few rows in the DOM.
  await page.getByTestId("timeline-scroll").evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(page.locator('[data-testid="timeline-row"][data-task-name="task-9999"]')).toBeVisible();
  expect(await rows.count()).toBeLessThan(200);

  // Errors only: the failed tasks and their groups; g selects the first failure.
  await page.getByRole("button", { name: /Errors only/ }).click();
  const failures = Math.floor((TASKS - 1) / FAIL_EVERY);
  await expect(rows).toHaveCount(failures * 2);
  expect(new Set(await rows.evaluateAll((rs) => rs.map((r) => r.getAttribute("data-status"))))).toEqual(new Set(["failed"]));
  await page.getByTestId("timeline-scroll").focus();
  await page.keyboard.press("g");
  await expect(page.locator(`[data-task-name="task-${FAIL_EVERY}"]`)).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("task-panel")).toContainText(`task ${FAIL_EVERY} broke`);
  // The jump pans the zoomed axis to the failure's bar.
  await expect(page.locator(`[data-task-name="task-${FAIL_EVERY}"]`).getByTestId("timeline-bar")).toBeVisible();
});
