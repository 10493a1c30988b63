import { Runtrail } from "@runtrail/sdk";
import { expect, test } from "./server-fixture";

test.use({ serverName: "live" });

test("a running run's page shows new tasks and the end of the run live, without reloading", async ({ page, server }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "live-report" });
  const fetchTask = await run.startTask("fetch", { url: "https://example.com" });
  await fetchTask.complete({ output: { bytes: 120 } });
  await client.flush();

  await page.goto(`${server.url}/runs/${run.id}`);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  const rows = page.getByTestId("timeline-row");
  await expect(rows).toHaveCount(1);
  // No page refetch while live: count requests for the page (a router.refresh would be one).
  const pageFetches: string[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === `/runs/${run.id}`) pageFetches.push(r.url());
  });
  // A reload or navigation would lose this.
  await page.evaluate(() => {
    (globalThis as { __sameDocument?: boolean }).__sameDocument = true;
  });

  const embed = await run.startTask("embed", { chunks: 4 });
  await client.flush();
  await expect(rows).toHaveCount(2, { timeout: 2_000 });
  await expect(rows.nth(1)).toHaveAttribute("data-task-name", "embed");
  await expect(rows.nth(1)).toHaveAttribute("data-status", "running");

  // The running task's bar grows towards now.
  const bar = rows.nth(1).getByTestId("timeline-bar");
  const width = async () => (await bar.boundingBox())?.width ?? 0;
  const before = await width();
  await page.waitForTimeout(1_200);
  expect(await width()).toBeGreaterThan(before);

  await embed.complete({ output: { vectors: 4 } });
  await run.complete({ output: { done: true } });
  await client.shutdown();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: 2_000 });
  await expect(page.getByTestId("run-status")).toHaveText("Completed");
  await expect(rows.nth(1)).toHaveAttribute("data-status", "completed");
  await expect(page.getByTestId("live-indicator")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  expect(await page.evaluate(() => (globalThis as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  expect(pageFetches).toEqual([]);
});

test("cancelling a running run from its page, with a reason", async ({ page, server }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "long-job" });
  await run.startTask("crunch", { n: 1e9 });
  await client.flush();

  await page.goto(`${server.url}/runs/${run.id}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await page.getByRole("button", { name: "Cancel run" }).click();
  const dialog = page.getByRole("dialog", { name: "Cancel this run" });
  await expect(dialog).toBeVisible();

  // "Keep running" leaves the run alone.
  await dialog.getByRole("button", { name: "Keep running" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "running");

  await page.getByRole("button", { name: "Cancel run" }).click();
  await dialog.getByLabel("Reason").fill("wrong input file");
  await dialog.getByRole("button", { name: "Cancel run" }).click();

  await expect(page.getByTestId("run-status")).toHaveText("Cancelled");
  await expect(page.getByRole("complementary", { name: "Run details" })).toContainText("wrong input file");
  await expect(page.getByTestId("timeline-row").first()).toHaveAttribute("data-status", "cancelled");
  await client.shutdown();
});
