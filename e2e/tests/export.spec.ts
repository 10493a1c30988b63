import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { Runtrail } from "@runtrail/sdk";
import { type RunningServer, startServer } from "../../apps/web/test/server";

let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "runtrail-e2e-export-"));
  server = await startServer({ RUNTRAIL_DATA_DIR: dataDir });
});

test.afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test("the run page's Export menu downloads the tasks as CSV and as JSON", async ({ page }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
  const parse = await run.startTask("parse-pdf", { file: "report.pdf" });
  await parse.complete({ output: { pages: 3 } });
  const summarise = await run.startTask("=summarise", { pages: 3 });
  await summarise.fail({ errorMessage: "Model overloaded, try again" });
  await run.fail({ errorMessage: "summarise failed" });
  await client.shutdown();

  await page.goto(`${server.url}/runs/${run.id}`);
  const menu = page.getByTestId("export-menu");
  await menu.click();
  await expect(page.getByRole("menu", { name: "Export tasks" })).toContainText("Download 2 tasks");
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: /^CSV/ }).click()]);
  expect(csv.suggestedFilename()).toBe(`runtrail-run-${run.id}.csv`);
  const lines = readFileSync(await csv.path(), "utf8").split("\r\n");
  expect(lines[0]).toMatch(/^id,parentTaskId,name,status,/);
  expect(lines[1]).toContain(",parse-pdf,completed,");
  expect(lines[2]).toContain(",'=summarise,failed,");
  // The menu closed after the choice; open it again for JSON.
  await expect(page.getByRole("menu", { name: "Export tasks" })).toHaveCount(0);
  await menu.click();
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByRole("menuitem", { name: /^JSON/ }).click()]);
  const doc = JSON.parse(readFileSync(await json.path(), "utf8"));
  expect(doc.run).toMatchObject({ id: run.id, status: "failed" });
  expect(doc.tasks.map((t: { name: string }) => t.name)).toEqual(["parse-pdf", "=summarise"]);
  await page.keyboard.press("Escape");
});
