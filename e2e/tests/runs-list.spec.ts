import { Runtrail } from "@runtrail/sdk";
import { expect, test } from "./server-fixture";

test.use({ serverName: "list" });

test("the Failed tab narrows the list to the failing run, one click from its task's error; a name search narrows it too", async ({ page, server }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  for (const name of ["ingest-docs", "ingest-mail", "nightly-report"]) {
    const run = await client.startRun({ name, tags: ["e2e"] });
    const task = await run.startTask("step");
    await task.complete();
    await run.complete();
  }
  const bad = await client.startRun({ name: "billing-sync", tags: ["e2e"] });
  await (await bad.startTask("fetch-invoices")).complete();
  await (await bad.startTask("post-ledger")).fail({ errorMessage: "Ledger rejected entry 42" });
  await bad.fail({ errorMessage: "post-ledger failed" });
  expect((await client.shutdown()).pending).toBe(0);

  await page.goto(`${server.url}/runs`);
  const rows = page.getByTestId("run-row");
  await expect(rows).toHaveCount(4);
  await expect(page.getByTestId("status-tab-failed")).toContainText("1");

  await page.getByTestId("status-tab-failed").click();
  await expect(page).toHaveURL(/[?&]status=failed/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("billing-sync");

  await page.getByRole("link", { name: "billing-sync" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${bad.id}$`));
  await expect(page.getByTestId("failure-banner")).toContainText("post-ledger");
  await page.getByRole("button", { name: "Show task" }).click();
  await expect(page.getByTestId("task-error")).toContainText("Ledger rejected entry 42");

  // A name search (case-insensitive prefix), then clearing it.
  await page.goto(`${server.url}/runs`);
  await page.getByPlaceholder("Name starts with…").fill("INGEST");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/[?&]q=INGEST/);
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("status-tab-all")).toContainText("2");
  await page.getByPlaceholder("Name starts with…").fill("nothing-like-this");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByTestId("no-matches")).toContainText("name starts with “nothing-like-this”");
  await page.getByRole("link", { name: "Clear filters" }).first().click();
  await expect(rows).toHaveCount(4);
});
