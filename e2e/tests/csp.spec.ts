import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Response } from "@playwright/test";
import { Runtrail } from "@runtrail/sdk";
import { startPrivatePostgres } from "../../apps/web/test/private-postgres";
import { type RunningServer, startServer } from "../../apps/web/test/server";
import { guardPage, nonceOf } from "./page-guard";
import { expect, test } from "./server-fixture";

test.use({ serverName: "csp" });

/** Checks every document the page loads: a strict policy with a fresh nonce, and the framing and sniffing headers. */
function watchDocuments(page: import("@playwright/test").Page) {
  const nonces: string[] = [];
  const problems: string[] = [];
  page.on("response", (response: Response) => {
    if (response.request().resourceType() !== "document") return;
    const headers = response.headers();
    try {
      nonces.push(nonceOf(headers["content-security-policy"]));
    } catch (err) {
      problems.push(`${response.url()}: ${(err as Error).message}`);
    }
    for (const [name, value] of [
      ["x-frame-options", "DENY"],
      ["x-content-type-options", "nosniff"],
      ["referrer-policy", "same-origin"],
    ]) {
      if (headers[name as string] !== value) problems.push(`${response.url()}: ${name} is ${headers[name as string]}`);
    }
    for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'", "connect-src 'self'"]) {
      if (!headers["content-security-policy"]?.includes(directive)) problems.push(`${response.url()}: no ${directive}`);
    }
  });
  return { nonces, problems };
}

test("every page works under the nonce-based policy with no violation: overview charts, runs list, a run with a task selected, live updates, not found", async ({
  page,
  server,
}) => {
  const guard = await guardPage(page);
  const documents = watchDocuments(page);
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const done = await client.startRun({ name: "nightly-report", tags: ["csp"] });
  const parse = await done.startTask("parse-pdf", { file: "report.pdf" });
  await parse.complete({ output: { pages: 3 }, usage: { inputTokens: 1200, outputTokens: 300, costUsd: 0.01 } });
  const upload = await done.startTask("upload");
  await upload.fail({ errorMessage: "bucket is read-only" });
  await done.fail({ errorMessage: "upload failed" });
  const live = await client.startRun({ name: "live-run", tags: ["csp"] });
  await (await live.startTask("first")).complete();
  await client.flush();

  // Overview: recharts draws in the browser, so its charts prove the scripts ran.
  await page.goto(`${server.url}/overview`);
  await expect(page.locator("svg.recharts-surface").first()).toBeVisible();
  expect(await page.locator("svg.recharts-surface").count()).toBeGreaterThanOrEqual(3);

  // Runs list, then a client-side navigation to a run.
  await page.goto(`${server.url}/runs`);
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  await page.getByRole("link", { name: "nightly-report" }).click();
  await expect(page).toHaveURL(new RegExp(`/runs/${done.id}$`));
  await expect(page.getByTestId("failure-banner")).toContainText("upload");

  // A run page loaded with a task selected; selecting another fetches its payload.
  await page.goto(`${server.url}/runs/${done.id}?task=${encodeURIComponent(parse.id)}`);
  await expect(page.getByTestId("task-panel")).toContainText("report.pdf");
  await page.locator('[data-testid="timeline-row"][data-task-name="upload"]').click();
  await expect(page.getByTestId("task-error")).toContainText("bucket is read-only");

  // Live updates over server-sent events (connect-src 'self').
  await page.goto(`${server.url}/runs/${live.id}`);
  await expect(page.getByTestId("live-indicator")).toHaveAttribute("data-connection", "live");
  await live.startTask("second");
  await client.flush();
  await expect(page.getByTestId("timeline-row")).toHaveCount(2, { timeout: 5_000 });
  await live.complete();
  await client.shutdown();
  await expect(page.getByTestId("run-status")).toHaveAttribute("data-status", "completed", { timeout: 5_000 });

  // An unknown address: the not-found page, hydrated (its link navigates in place).
  const notFound = await page.goto(`${server.url}/no-such-page`);
  expect(notFound?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Nothing here" })).toBeVisible();
  await page.evaluate(() => {
    (globalThis as { __samePage?: boolean }).__samePage = true;
  });
  await page.getByRole("link", { name: "All runs" }).click();
  await expect(page.getByTestId("run-row")).toHaveCount(2);
  expect(await page.evaluate(() => (globalThis as { __samePage?: boolean }).__samePage)).toBe(true);

  expect(guard.violations).toEqual([]);
  expect(guard.dialogs).toEqual([]);
  // The only console error: the browser noting the 404 status of the not-found page itself.
  expect(guard.errors).toEqual([expect.stringMatching(/no-such-page: Failed to load resource: .*404/)]);
  expect(documents.problems).toEqual([]);
  expect(documents.nonces.length).toBe(5);
  expect(new Set(documents.nonces).size).toBe(documents.nonces.length);

  // API answers are never documents: nothing may load or run in them.
  const api = await page.request.get(`${server.url}/api/v1/runs`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
  expect(api.headers()["x-frame-options"]).toBe("DENY");
});

test("the error page renders under the policy when the store fails, and Try again recovers once it is back", async ({ page }) => {
  const pg = await startPrivatePostgres();
  test.skip(pg === null, "needs the machine's Postgres server binaries");
  if (!pg) return;
  let failing: RunningServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), "runtrail-e2e-csp-outage-"));
  try {
    failing = await startServer({ DATABASE_URL: pg.url, RUNTRAIL_DATA_DIR: dataDir });
    const client = new Runtrail({ baseUrl: failing.url, apiKey: failing.apiKey });
    await (await client.startRun({ name: "before-the-outage" })).complete();
    await client.shutdown();
    const guard = await guardPage(page);
    const documents = watchDocuments(page);

    // The store goes down (it stays down for a while), and the runs list cannot load.
    const restarted = pg.restart(8_000);
    await page.goto(`${failing.url}/runs`);
    await expect(page.getByRole("heading", { name: "Something went wrong" })).toBeVisible();
    await restarted;
    // Try again fetches the page again: only a hydrated error page can.
    await page.getByRole("button", { name: "Try again" }).click();
    await expect(page.getByTestId("run-row")).toHaveCount(1, { timeout: 15_000 });
    await expect(page.getByTestId("run-row")).toContainText("before-the-outage");

    expect(guard.violations).toEqual([]);
    expect(guard.dialogs).toEqual([]);
    // The browser logs the failed render (an error from the server, by its digest); nothing else.
    for (const error of guard.errors) expect(error).not.toMatch(/Content Security Policy|Refused to/);
    expect(documents.problems).toEqual([]);
    expect(documents.nonces.length).toBe(1);
  } finally {
    await failing?.stop();
    await pg.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
