import { Runtrail } from "@runtrail/sdk";
import { expect, test } from "./server-fixture";

test.use({ serverName: "overview" });

test("the overview starts empty, then charts a few recorded runs with their failure and cost", async ({ page, server }) => {
  await page.goto(`${server.url}/overview`);
  await expect(page.getByTestId("overview-empty")).toContainText("npm run demo");

  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  for (const fail of [false, false, true]) {
    const run = await client.startRun({ name: "report" });
    const llm = await run.startTask("llm: summarise");
    await new Promise((r) => setTimeout(r, 30));
    await llm.complete({ output: "ok", usage: { inputTokens: 1200, outputTokens: 80, costUsd: 0.25 } });
    if (fail) {
      const check = await run.startTask("check");
      await check.fail({ errorMessage: "bad summary" });
      await run.fail({ errorMessage: "check failed" });
    } else {
      await run.complete();
    }
  }
  expect((await client.shutdown()).pending).toBe(0);

  // Reached from the top nav.
  await page.goto(`${server.url}/runs`);
  await page.getByRole("banner").getByRole("link", { name: "Overview" }).click();
  await expect(page).toHaveURL(/\/overview$/);

  await expect(page.getByTestId("stat-runs-value")).toHaveText("3");
  await expect(page.getByTestId("stat-failure-rate-value")).toHaveText("33%");
  await expect(page.getByTestId("stat-cost-value")).toHaveText("$0.75");
  for (const panel of ["runs-by-status", "failure-rate", "task-durations", "usage"]) {
    await expect(page.getByTestId(`panel-${panel}`).locator("svg.recharts-surface").first()).toBeVisible();
  }
  await expect(page.getByTestId("panel-task-durations")).toContainText("llm: summarise");

  // The range is in the URL and the picker follows it.
  await page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name: "1 h" }).click();
  await expect(page).toHaveURL(/range=1h/);
  await expect(page.getByRole("link", { name: "1 h" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("stat-runs-value")).toHaveText("3");
});
