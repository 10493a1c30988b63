import type { RunningServer } from "../../apps/web/test/server";
import { expect, test } from "./server-fixture";

const RUN = "big-run-10k";
const TASKS = 10_000;
const GROUP = 100;

/** The run's wire events: `group-k` tasks, each the parent of the 99 `task-i` after it. */
function events(): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const t0 = Date.UTC(2030, 0, 1);
  const ev = (type: string, ms: number, fields: Record<string, unknown> = {}) =>
    out.push({ id: `${RUN}-e${out.length}`, runId: RUN, seq: out.length, ts: new Date(t0 + ms).toISOString(), type, ...fields });
  ev("run.start", 0, { name: "ten thousand tasks" });
  for (let g = 0; g < TASKS; g += GROUP) {
    ev("task.start", g, { taskId: `t${g}`, name: `group-${g / GROUP}`, input: { group: g / GROUP } });
    for (let i = g + 1; i < g + GROUP; i++) {
      ev("task.start", i, { taskId: `t${i}`, name: `task-${i}`, parentTaskId: `t${g}`, input: { index: i, marker: `payload-${i}` } });
      ev("task.complete", i + 1, { taskId: `t${i}`, output: { ok: i } });
    }
    ev("task.complete", g + GROUP, { taskId: `t${g}` });
  }
  ev("run.complete", TASKS + 1);
  return out;
}

async function ingest(server: RunningServer, batch: Record<string, unknown>[]) {
  for (let i = 0; i < batch.length; i += 1000) {
    const res = await fetch(`${server.url}/api/v1/ingest`, {
      method: "POST",
      headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify({ batch: batch.slice(i, i + 1000) }),
    });
    expect(res.status, await res.text()).toBe(200);
  }
}

const LIVE = "big-live-run";
let liveSeq = 0;
/** An event of the running run LIVE, `l<k>` tasks one second apart. */
const live = (type: string, fields: Record<string, unknown> = {}) => ({
  id: `${LIVE}-e${liveSeq}`,
  runId: LIVE,
  seq: liveSeq++,
  ts: new Date(Date.UTC(2030, 0, 2) + liveSeq).toISOString(),
  type,
  ...fields,
});

test.use({ serverName: "big-run" });

test.beforeAll(async ({ server }) => {
  await ingest(server, events());
  await ingest(server, [live("run.start", { name: "still running" }), ...Array.from({ length: 1500 }, (_, i) => live("task.start", { taskId: `l${i}`, name: `live-${i}` }))]);
});

test("a 10,000-task run opens with a few dozen rows rendered, scrolls to its last task, and loads that task's input on select", async ({ page, server }) => {
  const restRequests: string[] = [];
  page.on("request", (r) => {
    if (r.url().includes(`/runs/${RUN}/timeline`)) restRequests.push(r.url());
  });
  await page.goto(`${server.url}/runs/${RUN}`);
  await expect(page.getByTestId("run-name")).toHaveText("ten thousand tasks");
  const rows = page.getByTestId("timeline-row");
  await expect(rows.first()).toHaveAttribute("data-task-name", "group-0");
  // The page carries the first tasks; the rest streams in after it.
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("10,000 tasks");
  await expect(page.getByTestId("timeline-loading")).toHaveCount(0);
  // The page preloads the rest and the loader takes that response over: one request.
  expect(restRequests).toHaveLength(1);
  // Virtualized: only the rows in view (plus overscan) are in the DOM.
  expect(await rows.count()).toBeLessThan(200);

  // The page itself carries its first 1,000 tasks, without payloads: the rest comes
  // from /runs/:id/timeline, the payloads with the selection.
  const html = await (await fetch(`${server.url}/runs/${RUN}`)).text();
  expect(html).toContain("task-999");
  expect(html).not.toContain("task-9999");
  expect(html).not.toContain("payload-");

  const box = page.getByTestId("timeline-scroll");
  await box.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  const last = page.locator('[data-testid="timeline-row"][data-task-name="task-9999"]');
  await expect(last).toBeVisible();
  expect(await rows.count()).toBeLessThan(200);

  await last.click();
  await expect(page.getByTestId("task-panel")).toContainText('"payload-9999"');
  await expect(page).toHaveURL(/\?task=t9999/);

  // Keyboard: up moves the selection to the row above, which stays in view.
  await box.press("ArrowUp");
  await expect(page.getByTestId("task-panel")).toContainText('"index": 9998');
  await expect(page.locator('[data-task-name="task-9998"]')).toHaveAttribute("aria-selected", "true");

  // A deep link opens scrolled to its task, with the task's payloads.
  await page.goto(`${server.url}/runs/${RUN}?task=t5050`);
  await expect(page.locator('[data-task-name="task-5050"]')).toBeVisible();
  await expect(page.getByTestId("task-panel")).toContainText('"index": 5050');
});

test("the page is usable while the rest of the run is still arriving", async ({ page, server }) => {
  // Hold the rest of the timeline back until the test lets it through.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(`**/runs/${RUN}/timeline?**`, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}/runs/${RUN}`);
  const loading = page.getByTestId("timeline-loading");
  await expect(loading).toContainText("Loading tasks: 1,000 of 10,000");
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("1,000 tasks");

  // Select, load the payload and move with the keyboard, all before the rest arrives.
  await page.locator('[data-testid="timeline-row"][data-task-name="task-5"]').click();
  await expect(page.getByTestId("task-panel")).toContainText('"payload-5"');
  await page.getByTestId("timeline-scroll").press("ArrowDown");
  await expect(page.getByTestId("task-panel")).toContainText('"index": 6');
  await expect(loading).toBeVisible();

  release();
  await expect(loading).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Timeline" })).toContainText("10,000 tasks");
  // The selection survived the rest arriving.
  await expect(page.locator('[data-task-name="task-6"]')).toHaveAttribute("aria-selected", "true");
});

test("a link to the last task selects it at once and scrolls to it when its row arrives", async ({ page, server }) => {
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(`**/runs/${RUN}/timeline?**`, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${server.url}/runs/${RUN}?task=t9999`);
  // The page carries the linked task itself: its panel and payload come before the rest.
  await expect(page.getByTestId("task-panel")).toContainText("task-9999");
  await expect(page.getByTestId("task-panel")).toContainText('"payload-9999"');
  await expect(page.getByTestId("timeline-loading")).toBeVisible();

  release();
  await expect(page.getByTestId("timeline-loading")).toHaveCount(0);
  const row = page.locator('[data-testid="timeline-row"][data-task-name="task-9999"]');
  await expect(row).toBeVisible();
  await expect(row).toHaveAttribute("aria-selected", "true");
  // It is the last row: nothing below it.
  const box = page.getByTestId("timeline-scroll");
  expect(await box.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(40);
});

test("a running big run takes live changes while its rest loads, and keeps the newest copy of each task", async ({ page, server }) => {
  // The rest is read now, then held back: it will arrive older than what the live stream brings meanwhile.
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  let read = () => {};
  const wasRead = new Promise<void>((resolve) => {
    read = resolve;
  });
  await page.route(`**/runs/${LIVE}/timeline?**`, async (route) => {
    const response = await route.fetch();
    read();
    await held;
    await route.fulfill({ response });
  });
  await page.goto(`${server.url}/runs/${LIVE}`);
  const timeline = page.getByRole("region", { name: "Timeline" });
  await expect(timeline).toContainText("1,000 tasks");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await wasRead;

  // l1400 (beyond the page's first tasks) completes and l1500 starts, while the rest is held.
  await ingest(server, [live("task.complete", { taskId: "l1400" }), live("task.start", { taskId: "l1500", name: "live-1500" })]);
  await expect(timeline).toContainText("1,002 tasks");

  release();
  await expect(page.getByTestId("timeline-loading")).toHaveCount(0);
  await expect(timeline).toContainText("1,501 tasks");
  const box = page.getByTestId("timeline-scroll");
  await box.evaluate((el) => {
    el.scrollTop = 1400 * 32 - 64;
  });
  // The held chunk said l1400 was running; the live stream's newer copy stays.
  await expect(page.locator('[data-task-name="live-1400"]')).toHaveAttribute("data-status", "completed");
  await expect(page.locator('[data-task-name="live-1399"]')).toHaveAttribute("data-status", "running");
  await box.evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(page.locator('[data-task-name="live-1500"]')).toBeVisible();
});
