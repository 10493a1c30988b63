import type { Page } from "@playwright/test";
import { Runtrail } from "@runtrail/sdk";
import type { RunningServer } from "../../apps/web/test/server";
import { expect, test } from "./server-fixture";

let runId: string;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.use({ serverName: "timeline" });

test.beforeAll(async ({ server }) => {
  // An agent run as the SDK records it: a plan, two searches in parallel under
  // "gather" (one fails after logging why), a draft that logs a warning, a run log.
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "debug-me" });
  runId = run.id;
  const plan = await run.startTask("plan");
  await sleep(60);
  await plan.complete();
  const gather = await run.startTask("gather");
  const [a, b] = await Promise.all([gather.startTask("search-a"), gather.startTask("search-b")]);
  await sleep(80);
  b.log("upstream answered 502", { level: "error" });
  await b.fail({ errorMessage: "search backend down" });
  await sleep(60);
  await a.complete();
  await gather.fail({ errorMessage: "a search failed" });
  const draft = await run.startTask("draft");
  await sleep(40);
  draft.log("context window nearly full", { level: "warn" });
  await sleep(40);
  await draft.complete();
  run.log("giving up after gather failed");
  await run.fail({ errorMessage: "gather failed" });
  expect((await client.shutdown()).pending).toBe(0);
});

const row = (page: Page, name: string) => page.locator(`[data-testid="timeline-row"][data-task-name="${name}"]`);

async function windowOf(page: Page): Promise<{ start: number; end: number }> {
  const el = page.getByTestId("timeline-window");
  return { start: Number(await el.getAttribute("data-start")), end: Number(await el.getAttribute("data-end")) };
}

const tickLabels = (page: Page) => page.getByTestId("timeline-tick").allTextContents();

async function open(page: Page, server: RunningServer, query = "") {
  await page.goto(`${server.url}/runs/${runId}${query}`);
  await expect(row(page, "plan")).toBeVisible();
  // Hydrated: the overview has drawn its canvas (sized from its box).
  await expect(page.locator('[data-testid="timeline-minimap"] canvas')).toHaveAttribute("height", /^\d+$/);
}

test("zoom with the keyboard and the wheel changes the visible window and its ticks; panning moves it; 0 shows the whole run", async ({ page, server }) => {
  await open(page, server);
  const whole = await windowOf(page);
  expect(whole.start).toBe(0);
  const wholeTicks = await tickLabels(page);
  await expect(page.getByRole("button", { name: "Whole run" })).toBeDisabled();

  await page.getByTestId("timeline-scroll").focus();
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  await expect.poll(async () => (await windowOf(page)).end - (await windowOf(page)).start).toBeLessThan((whole.end - whole.start) / 2);
  await expect.poll(() => tickLabels(page)).not.toEqual(wholeTicks);
  await expect(page.getByRole("button", { name: "Whole run" })).toBeEnabled();

  // Ctrl + wheel zooms around the pointer: the time under it stays put.
  const axis = page.getByTestId("timeline-axis");
  const box = await axis.boundingBox();
  if (!box) throw new Error("no axis");
  const before = await windowOf(page);
  const x = box.x + box.width * 0.25;
  await page.mouse.move(x, box.y + 80);
  const timeAt = (w: { start: number; end: number }) => w.start + 0.25 * (w.end - w.start);
  await page.keyboard.down("Control");
  await page.mouse.wheel(0, -200);
  await page.keyboard.up("Control");
  await expect.poll(async () => { const w = await windowOf(page); return w.end - w.start; }).toBeLessThan((before.end - before.start) * 0.8);
  const zoomed = await windowOf(page);
  expect(timeAt(zoomed)).toBeCloseTo(timeAt(before), 0);

  // Shift + wheel pans later; a plain vertical wheel leaves the window alone.
  await page.keyboard.down("Shift");
  await page.mouse.wheel(0, 120);
  await page.keyboard.up("Shift");
  await expect.poll(async () => (await windowOf(page)).start).toBeGreaterThan(zoomed.start);
  const panned = await windowOf(page);
  expect(panned.end - panned.start).toBeCloseTo(zoomed.end - zoomed.start, 3);
  await page.mouse.wheel(0, 200);
  await page.waitForTimeout(200);
  expect(await windowOf(page)).toEqual(panned);

  // Dragging the bars pans too (earlier, dragging right), and the release selects nothing.
  const bars = await row(page, "gather").boundingBox();
  if (!bars) throw new Error("no row");
  const y = bars.y + bars.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + box.width * 0.1, y, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await windowOf(page)).start).toBeLessThan(panned.start);
  await expect(page.locator('[data-testid="timeline-row"][aria-selected="true"]')).toHaveCount(0);

  // The window is in the URL, so a reload (or a shared link) shows the same part.
  const shared = await windowOf(page);
  // Written once the window settles.
  await expect.poll(() => Number(new URL(page.url()).searchParams.get("window")?.split("-")[0])).toBeCloseTo(shared.start, 2);
  await page.reload();
  await expect(row(page, "plan")).toBeVisible();
  await expect.poll(async () => (await windowOf(page)).start).toBeCloseTo(shared.start, 1);

  await page.getByTestId("timeline-scroll").focus();
  await page.keyboard.press("0");
  await expect.poll(() => windowOf(page)).toEqual(whole);
  await expect.poll(() => tickLabels(page)).toEqual(wholeTicks);
  await expect(page).not.toHaveURL(/window=/);
});

test("dragging on the overview chooses the window; dragging its frame pans it; a click centres it", async ({ page, server }) => {
  await open(page, server);
  const whole = await windowOf(page);
  const map = page.getByTestId("timeline-minimap");
  const box = await map.boundingBox();
  if (!box) throw new Error("no minimap");
  const y = box.y + box.height / 2;

  await page.mouse.move(box.x + box.width * 0.2, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 6 });
  await page.mouse.up();
  const chosen = await windowOf(page);
  expect(chosen.start / whole.end).toBeCloseTo(0.2, 1);
  expect(chosen.end / whole.end).toBeCloseTo(0.5, 1);
  const frame = await page.getByTestId("minimap-frame").boundingBox();
  expect((frame?.width ?? 0) / box.width).toBeCloseTo(0.3, 1);

  // Grab the frame in its middle and move it right.
  await page.mouse.move(box.x + box.width * 0.35, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.55, y, { steps: 6 });
  await page.mouse.up();
  const moved = await windowOf(page);
  expect(moved.start / whole.end).toBeCloseTo(0.4, 1);
  expect(moved.end - moved.start).toBeCloseTo(chosen.end - chosen.start, 3);

  // A click away from the frame centres the window there.
  await page.mouse.click(box.x + box.width * 0.15, y);
  await expect.poll(async () => { const w = await windowOf(page); return (w.start + w.end) / 2 / whole.end; }).toBeCloseTo(0.15, 1);

  // The frame is a slider for the keyboard.
  const start = (await windowOf(page)).start;
  await page.getByTestId("minimap-frame").focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(async () => (await windowOf(page)).start).toBeGreaterThan(start);
});

test("errors only keeps the failing tasks and their ancestors, in the URL; first failure opens its collapsed parent and selects it", async ({ page, server }) => {
  await open(page, server);
  await expect(page.getByTestId("timeline-row")).toHaveCount(5);

  // Collapse "gather": its failing child is hidden until the jump.
  await row(page, "gather").getByRole("button", { name: "Collapse" }).click();
  await expect(row(page, "search-b")).toHaveCount(0);

  await page.getByRole("button", { name: "First failure" }).click();
  await expect(row(page, "search-b")).toHaveAttribute("aria-selected", "true");
  await expect(row(page, "search-b")).toBeInViewport();
  await expect(page.getByTestId("task-panel")).toContainText("search backend down");
  await expect(page.getByTestId("failure-position")).toHaveText("1 / 2");
  // n: the next failure in time order is "gather", which failed after its child.
  await page.keyboard.press("n");
  await expect(row(page, "gather")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Shift+N");
  await expect(row(page, "search-b")).toHaveAttribute("aria-selected", "true");

  await page.getByRole("button", { name: /Errors only/ }).click();
  await expect(page).toHaveURL(/[?&]errors=1/);
  await expect(page).toHaveURL(/[?&]task=/);
  const names = page.getByTestId("timeline-row");
  await expect(names).toHaveCount(2);
  expect(await names.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-task-name")))).toEqual(["gather", "search-b"]);

  // Shared as a link: the filter survives a reload, and the deep-linked task is still selected.
  await page.reload();
  await expect(page.getByTestId("timeline-row")).toHaveCount(2);
  await expect(row(page, "search-b")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByRole("button", { name: /Errors only/ })).toHaveAttribute("aria-pressed", "true");

  // e toggles it off again.
  await page.getByTestId("timeline-scroll").focus();
  await page.keyboard.press("e");
  await expect(page.getByTestId("timeline-row")).toHaveCount(5);
  await expect(page).not.toHaveURL(/errors=/);
});

test("the tree walks with the arrow keys: ← collapses or goes to the parent, → expands or goes to the first child", async ({ page, server }) => {
  await open(page, server);
  await row(page, "search-a").click();
  await page.keyboard.press("ArrowLeft");
  await expect(row(page, "gather")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("ArrowLeft");
  await expect(row(page, "gather")).toHaveAttribute("aria-expanded", "false");
  await expect(row(page, "search-a")).toHaveCount(0);
  await page.keyboard.press("ArrowRight");
  await expect(row(page, "gather")).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowRight");
  await expect(row(page, "search-a")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("j");
  await expect(row(page, "search-b")).toHaveAttribute("aria-selected", "true");
});

test("log markers sit on their task's row, coloured by level, with the message on hover; run logs on their own strip", async ({ page, server }) => {
  await open(page, server);
  const marker = row(page, "search-b").getByTestId("log-marker");
  await expect(marker).toHaveCount(1);
  await expect(marker).toHaveAttribute("data-level", "error");
  await expect(row(page, "draft").getByTestId("log-marker")).toHaveAttribute("data-level", "warn");
  await expect(row(page, "plan").getByTestId("log-marker")).toHaveCount(0);

  await marker.hover();
  await expect(page.getByTestId("log-marker-tooltip")).toContainText("upstream answered 502");

  const runLog = page.getByTestId("run-log-strip").getByTestId("log-marker");
  await expect(runLog).toHaveCount(1);
  await runLog.hover();
  await expect(page.getByTestId("log-marker-tooltip")).toContainText("giving up after gather failed");
  await expect(page.getByRole("list", { name: "Log levels" })).toBeVisible();
});

test("? opens the keyboard shortcuts, Esc closes them", async ({ page, server }) => {
  await open(page, server);
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Timeline shortcuts" });
  await expect(help).toBeVisible();
  await expect(help).toContainText("Jump to the first failure");
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();
});
