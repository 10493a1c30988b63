import { Runtrail } from "@runtrail/sdk";
import { findLowContrastText } from "./contrast";
import { expect, test } from "./server-fixture";

let failedRunId = "";
let loadTaskId = "";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const LONG_BODY = `${"Dear team, the quarterly numbers are in. ".repeat(60)}END-OF-LONG-BODY`;

test.use({ serverName: "debugging" });

test.beforeAll(async ({ server }) => {
  // A small value limit so one output is replaced by the SDK's truncation marker.
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey, maxValueBytes: 20_000 });
  const step = async (run: Awaited<ReturnType<typeof client.startRun>>, name: string, ms: number, input?: unknown) => {
    const task = await run.startTask(name, input);
    await sleep(ms);
    return task;
  };

  // Yesterday's good run: the baseline.
  const good = await client.startRun({ name: "nightly-digest" });
  await (await step(good, "load-inbox", 30)).complete();
  await (await step(good, "classify", 150)).complete();
  await (await step(good, "summarise", 30)).complete();
  await (await step(good, "send-email", 10)).complete();
  await good.complete();

  // Today's: load-inbox slower, classify faster, summarise much slower and failing, no email.
  const bad = await client.startRun({ name: "nightly-digest" });
  failedRunId = bad.id;
  const input = {
    config: { retries: 3, nested: { deep: { secret: "found-the-deep-value", more: { level: 5 } } } },
    messages: Array.from({ length: 60 }, (_, i) => ({ id: i, subject: `message ${i}` })),
    body: LONG_BODY,
  };
  const load = await step(bad, "load-inbox", 280, input);
  loadTaskId = load.id;
  load.log("fetched 60 messages", { attributes: { count: 60, folder: "inbox" } });
  await load.complete({ output: { messages: 60 } });
  await (await step(bad, "fetch-attachments", 5)).complete({ output: Array.from({ length: 5000 }, (_, i) => `attachment-${i}`) });
  await (await step(bad, "classify", 40)).complete();
  const summarise = await step(bad, "summarise", 700);
  await summarise.fail(new Error("Model overloaded after 3 retries"));
  await bad.fail({ errorMessage: "summarise failed" });
  const report = await client.shutdown();
  expect(report.pending).toBe(0);
});

test("a failed run: the failing task's error and stack, its inputs explored, and the comparison with the last success", async ({ page, server }) => {
  await page.goto(`${server.url}/runs/${failedRunId}`);
  const banner = page.getByTestId("failure-banner");
  await expect(banner).toContainText("summarise");
  await expect(banner).toContainText("Model overloaded after 3 retries");

  // The failing task: its message, and its stack (open, and foldable).
  await banner.getByRole("button", { name: "Show task" }).click();
  const panel = page.getByTestId("task-panel");
  await expect(panel.getByTestId("error-message")).toHaveText("Model overloaded after 3 retries");
  const stack = panel.getByTestId("error-stack");
  await expect(stack).toContainText("Error: Model overloaded after 3 retries");
  await expect(stack).toContainText("task-debugging.spec.ts");
  const stackToggle = panel.getByRole("button", { name: /Stack trace/ });
  await stackToggle.click();
  await expect(stackToggle).toHaveAttribute("aria-expanded", "false");
  await expect(stack).toBeHidden();
  await stackToggle.click();
  await expect(stack).toBeVisible();

  // Another task's input: collapsed nodes open on demand, a long string shows whole on request.
  await page.getByTestId("timeline-row").filter({ has: page.getByText("load-inbox", { exact: true }) }).click();
  await expect(page).toHaveURL(/\?task=/);
  const inputView = panel.getByRole("region", { name: "Input" }).getByTestId("json-view");
  await expect(inputView.getByRole("button", { name: '"messages": [60 items]' })).toHaveAttribute("aria-expanded", "false");
  const nested = inputView.getByRole("button", { name: '"nested": {1 key}' });
  await expect(nested).toHaveAttribute("aria-expanded", "false");
  await expect(inputView).not.toContainText("found-the-deep-value");
  await nested.click();
  await expect(nested).toHaveAttribute("aria-expanded", "true");
  await inputView.getByRole("button", { name: '"deep": {2 keys}' }).click();
  await expect(inputView).toContainText('"secret": "found-the-deep-value"');
  await expect(inputView).not.toContainText("END-OF-LONG-BODY");
  await inputView.getByTestId("json-show-all").click();
  await expect(inputView).toContainText("END-OF-LONG-BODY");

  // Its log line, with attributes.
  const log = panel.getByTestId("log-line");
  await expect(log).toHaveCount(1);
  await expect(log).toContainText("fetched 60 messages");
  // Small attributes read inline while closed.
  await expect(log.getByRole("button", { name: '"attributes": {"count": 60, "folder": "inbox"}' })).toHaveAttribute("aria-expanded", "false");

  // An output over the SDK's limit says so.
  await page.getByTestId("timeline-row").filter({ has: page.getByText("fetch-attachments", { exact: true }) }).click();
  await expect(panel.getByTestId("json-truncated")).toContainText("Truncated by the SDK");

  // The comparison: the failed and most regressed task first, then the next regression.
  await page.getByRole("button", { name: "Compare with last success" }).click();
  await expect(page).toHaveURL(/view=compare/);
  const compare = page.getByTestId("compare-view");
  await expect(compare.getByTestId("baseline-link")).toContainText("nightly-digest");
  const rows = compare.getByTestId("compare-row");
  await expect(rows).toHaveCount(5);
  await expect(rows.nth(0)).toHaveAttribute("data-task-name", "summarise");
  await expect(rows.nth(0)).toHaveAttribute("data-kind", "failed");
  await expect(rows.nth(1)).toHaveAttribute("data-task-name", "load-inbox");
  await expect(rows.nth(1)).toHaveAttribute("data-kind", "slower");
  await expect(compare.locator('[data-task-name="send-email"]')).toHaveAttribute("data-kind", "missing");
  await expect(compare.locator('[data-task-name="classify"]')).toHaveAttribute("data-kind", "faster");

  // A name leads back to its task on the timeline.
  await rows.nth(1).getByRole("button", { name: "load-inbox" }).click();
  await expect(panel.getByRole("heading", { name: "load-inbox" })).toBeVisible();
});

test("the first run of its name has nothing to compare with", async ({ page, server }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "one-off" });
  await (await run.startTask("only-step")).complete();
  await run.complete();
  await client.shutdown();
  await page.goto(`${server.url}/runs/${run.id}?view=compare`);
  await expect(page.getByTestId("compare-empty")).toContainText("Nothing to compare with yet");
  await page.getByRole("tab", { name: "Timeline" }).click();
  await expect(page.getByTestId("timeline-row")).toHaveCount(1);
});

test("the task panel's JSON, logs and error, and the comparison, meet WCAG AA contrast in both themes", async ({ browser, server }) => {
  for (const theme of ["light", "dark"]) {
    const context = await browser.newContext();
    await context.addCookies([{ name: "runtrail-theme", value: theme, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/runs/${failedRunId}?task=${encodeURIComponent(loadTaskId)}`);
    await expect(page.getByTestId("log-line")).toBeVisible();
    await page.getByRole("button", { name: "Expand all" }).first().click();
    expect(await findLowContrastText(page), `${theme}: task panel`).toEqual([]);
    await page.getByRole("button", { name: "Show task" }).click();
    await expect(page.getByTestId("error-stack")).toBeVisible();
    expect(await findLowContrastText(page), `${theme}: failed task`).toEqual([]);
    await page.getByRole("tab", { name: "Compare with last success" }).click();
    await expect(page.getByTestId("compare-row").first()).toBeVisible();
    expect(await findLowContrastText(page), `${theme}: comparison`).toEqual([]);
    await context.close();
  }
});
