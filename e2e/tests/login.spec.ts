import { Runtrail } from "@runtrail/sdk";
import { expect, test } from "./server-fixture";

const ADMIN = { email: "lead@example.com", password: "lead password 123" };

test.use({ serverName: "login", serverEnv: { RUNTRAIL_ADMIN_EMAIL: ADMIN.email, RUNTRAIL_ADMIN_PASSWORD: ADMIN.password } });

async function record(baseUrl: string, apiKey: string, name: string): Promise<string> {
  const client = new Runtrail({ baseUrl, apiKey });
  const run = await client.startRun({ name });
  await run.complete();
  await client.shutdown();
  return run.id;
}

test("sign in, make a project and its key, record into it, switch projects, revoke, sign out", async ({ page, server }) => {
  // Signed out: the runs list sends us to the login page, which brings us back afterwards.
  await page.goto(`${server.url}/runs?status=completed`);
  await expect(page).toHaveURL(/\/login\?next=%2Fruns%3Fstatus%3Dcompleted$/);
  await expect(page.getByRole("heading", { name: "Sign in to Runtrail" })).toBeVisible();
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Wrong" })).toHaveText("Wrong email or password.");
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/runs\?status=completed$/);
  await expect(page.getByTestId("project-switcher")).toContainText("Default project");
  await expect(page.getByTestId("open-mode-note")).toHaveCount(0);

  // A new project; creating it switches to it and opens its keys.
  await page.getByRole("link", { name: "Settings" }).first().click();
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: /^Projects/ }).click();
  await page.getByPlaceholder("e.g. Support agent").fill("Support agent");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/settings\/keys$/);
  await expect(page.getByRole("heading", { name: "API keys of Support agent" })).toBeVisible();
  await expect(page.getByTestId("project-switcher")).toContainText("Support agent");

  // A key, shown once.
  await page.getByLabel("New key name").fill("e2e worker");
  await page.getByRole("button", { name: "Create key" }).click();
  const shown = page.getByTestId("new-key-value");
  await expect(shown).toHaveText(/^rt_[\w-]{43}$/);
  const key = (await shown.textContent()) ?? "";
  await expect(page.getByTestId("key-row")).toHaveCount(1);
  await expect(page.getByTestId("key-row")).toContainText("e2e worker");
  await expect(page.getByTestId("key-row")).toContainText(`${key.slice(0, 10)}…`);
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-key")).toHaveCount(0);
  await page.reload();
  await expect(page.locator("body")).not.toContainText(key);

  // Runs recorded with it land in this project only.
  const supportRun = await record(server.url, key, "support-triage");
  const defaultRun = await record(server.url, server.apiKey, "nightly-etl");
  await page.goto(`${server.url}/runs`);
  await expect(page.locator(`a[href="/runs/${supportRun}"]`).first()).toBeVisible();
  await expect(page.locator(`a[href="/runs/${defaultRun}"]`)).toHaveCount(0);
  await page.getByTestId("project-switcher").click();
  await page.getByRole("menuitemradio", { name: /Default project/ }).click();
  await expect(page.getByTestId("project-switcher")).toContainText("Default project");
  await expect(page.locator(`a[href="/runs/${defaultRun}"]`).first()).toBeVisible();
  await expect(page.locator(`a[href="/runs/${supportRun}"]`)).toHaveCount(0);

  // Revoke the key from its project's settings: the API refuses it at once.
  await page.getByTestId("project-switcher").click();
  await page.getByRole("menuitemradio", { name: /Support agent/ }).click();
  await expect(page.getByTestId("project-switcher")).toContainText("Support agent");
  await page.goto(`${server.url}/settings/keys`);
  await page.getByRole("button", { name: /^Revoke e2e worker/ }).click();
  await page.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByTestId("key-row")).toContainText("Revoked");
  const refused = await fetch(`${server.url}/api/v1/runs`, { headers: { authorization: `Bearer ${key}` } });
  expect(refused.status).toBe(401);

  // Sign out: the session is gone, the pages ask for a login again.
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto(`${server.url}/settings/keys`);
  await expect(page).toHaveURL(/\/login\?next=%2Fsettings%2Fkeys$/);
});
