import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, expect, type Page, test } from "@playwright/test";
import { type RunningServer, startServer } from "../../apps/web/test/server";

/**
 * Issue 17's open redirect, in the browser it fooled: a `next` that normalises to
 * "//evil.example" sent Chromium to the other site with no click. Every request to
 * evil.example is caught (and answered, so a wrong redirect would land there visibly);
 * none may happen, and the page must stay on the dashboard's origin.
 */

const ADMIN = { email: "redirect@example.com", password: "redirect password 1" };
const HOSTILE = ["/..//evil.example", "/.//evil.example", "/x/..//evil.example", "/%252e%252e//evil.example", "/%2e%2e//evil.example", "/\\evil.example"];

const dirs: string[] = [];
const servers: RunningServer[] = [];
async function serve(env: Record<string, string>): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), "runtrail-e2e-redirect-"));
  dirs.push(dir);
  const server = await startServer({ RUNTRAIL_DATA_DIR: dir, ...env });
  servers.push(server);
  return server;
}

test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Records every request that leaves for evil.example, answering it with a page that says so. */
async function trapEvil(context: BrowserContext): Promise<string[]> {
  const hits: string[] = [];
  await context.route((url) => url.hostname === "evil.example" || url.hostname.endsWith(".evil.example"), (route) => {
    hits.push(route.request().url());
    return route.fulfill({ status: 200, contentType: "text/html", body: "<h1>evil</h1>" });
  });
  return hits;
}

async function expectHome(page: Page, origin: string, hits: string[], what: string): Promise<void> {
  await page.waitForLoadState("load");
  expect(new URL(page.url()).origin, what).toBe(origin);
  expect(hits, what).toEqual([]);
  await expect(page.locator("body")).not.toContainText("evil");
}

test("local mode: a hostile next on /login stays on the dashboard", async ({ page, context }) => {
  const server = await serve({});
  const hits = await trapEvil(context);
  for (const next of HOSTILE) {
    await page.goto(`${server.url}/login?next=${next}`);
    await expectHome(page, server.url, hits, next);
  }
});

test("login mode: signing in with a hostile next, and visiting one signed in, stay on the dashboard", async ({ page, context }) => {
  const server = await serve({ RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password });
  const hits = await trapEvil(context);
  await page.goto(`${server.url}/login?next=${HOSTILE[0]}`);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();
  await expectHome(page, server.url, hits, "after signing in");
  for (const next of HOSTILE) {
    await page.goto(`${server.url}/login?next=${next}`);
    await expectHome(page, server.url, hits, next);
  }
});
