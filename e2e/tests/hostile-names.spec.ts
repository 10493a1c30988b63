import type { Page } from "@playwright/test";
import { Runtrail } from "@runtrail/sdk";
import { guardPage } from "./page-guard";
import { expect, test } from "./server-fixture";

test.use({ serverName: "xss" });

const IMG = "<img src=x onerror=alert(1)>";
const SCRIPT_OUTPUT = "<script>alert(2)</script>";
const ERROR = "<script>alert(3)</script><img src=x onerror=alert(4)>";

/** Markup that would exist had any of the strings been parsed as HTML. */
async function expectNoInjectedMarkup(page: Page): Promise<void> {
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  await expect(page.locator("b.injected")).toHaveCount(0);
}

test("names, outputs and errors holding HTML or script show as text in the runs list, the run page, the task panel and the overview", async ({ page, server }) => {
  const guard = await guardPage(page);
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: IMG, tags: ['<b class="injected">tag</b>'], input: { html: "<svg onload=alert(5)>" } });
  const named = await run.startTask(IMG, { query: "<iframe src=javascript:alert(6)>" });
  await named.complete({ output: { html: SCRIPT_OUTPUT } });
  const failing = await run.startTask("render");
  await failing.fail({ errorMessage: ERROR });
  await run.fail({ errorMessage: `${IMG} failed` });
  await client.shutdown();

  // Runs list: the name is the row's link text, the tag a text chip.
  await page.goto(`${server.url}/runs`);
  const row = page.getByTestId("run-row");
  await expect(row).toHaveCount(1);
  await expect(row.getByRole("link", { name: IMG, exact: true })).toBeVisible();
  await expect(row).toContainText('<b class="injected">tag</b>');
  await expectNoInjectedMarkup(page);

  // Run page: title, header, failure banner, timeline.
  await row.getByRole("link", { name: IMG, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${run.id}$`));
  await expect(page.getByTestId("run-name")).toHaveText(IMG);
  await expect(page).toHaveTitle(`${IMG} · Runtrail`);
  await expect(page.getByTestId("failure-banner")).toContainText(`Failed at task “render”: ${ERROR}`);
  const rows = page.getByTestId("timeline-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(IMG);
  await expectNoInjectedMarkup(page);

  // Task panel: name, input and output of the first task; the second one's error.
  await rows.first().click();
  const panel = page.getByTestId("task-panel");
  await expect(panel).toContainText(IMG);
  await expect(panel).toContainText("<iframe src=javascript:alert(6)>");
  await expect(panel).toContainText(SCRIPT_OUTPUT);
  await expect(panel.locator("iframe")).toHaveCount(0);
  await rows.nth(1).click();
  await expect(page.getByTestId("task-error")).toContainText(ERROR);
  await expectNoInjectedMarkup(page);

  // Overview: the task duration chart labels tasks by name, cut to 21 characters and "…".
  await page.goto(`${server.url}/overview`);
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  const label = page.getByTestId("panel-task-durations").locator("svg text", { hasText: "<img src=x" });
  // "<img src=x onerror=al…", wrapped at its space into two lines (tspans).
  await expect(label).toHaveText("<img src=xonerror=al…");
  await expectNoInjectedMarkup(page);

  expect(guard.dialogs).toEqual([]);
  expect(guard.violations).toEqual([]);
  expect(guard.errors).toEqual([]);
});
