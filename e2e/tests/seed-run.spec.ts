import { Runtrail } from "@runtrail/sdk";
import { expect, test } from "./server-fixture";

test.use({ serverName: "seed" });

test("the seed example, sent with the SDK, shows both tasks on the run's timeline", async ({ page, server }) => {
  // The example from seeds/004, as a user would write it.
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
  const parseTask = await run.startTask("parse-pdf", { file: "report.pdf" });
  await new Promise((r) => setTimeout(r, 120));
  await parseTask.complete({ output: { pages: 3 } });
  const summariseTask = await run.startTask("summarise", { pages: 3 });
  await new Promise((r) => setTimeout(r, 80));
  await summariseTask.fail({ errorMessage: "Model overloaded, try again" });
  await run.fail({ errorMessage: "summarise failed" });
  const report = await client.shutdown();
  expect(report.pending).toBe(0);

  await page.goto(`${server.url}/runs`);
  await page.getByRole("link", { name: "report" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${run.id}$`));
  await expect(page.getByTestId("run-name")).toHaveText("report");

  const rows = page.getByTestId("timeline-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute("data-task-name", "parse-pdf");
  await expect(rows.nth(0)).toHaveAttribute("data-status", "completed");
  await expect(rows.nth(1)).toHaveAttribute("data-task-name", "summarise");
  await expect(rows.nth(1)).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("timeline-bar")).toHaveCount(2);

  // The failing step is named up front, and one click away from its error.
  await expect(page.getByTestId("failure-banner")).toContainText("summarise");
  await page.getByRole("button", { name: "Show task" }).click();
  await expect(page.getByTestId("task-error")).toContainText("Model overloaded, try again");

  // The completed task's output is intact.
  await rows.nth(0).click();
  await expect(page.getByTestId("task-panel")).toContainText('"pages": 3');
  await expect(page).toHaveURL(/\?task=/);
});
