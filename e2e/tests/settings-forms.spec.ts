import type { Page } from "@playwright/test";
import { expect, test } from "./server-fixture";

test.use({ serverName: "forms" });

/** A form's own error (Next.js's route announcer is an alert too). */
const formError = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text });

test("the settings forms: turn on the login, add a user, change the password; each says what went wrong and what it did", async ({ page, server }) => {
  // Open dashboard: create the first admin (a check in the browser first, then the server).
  await page.goto(`${server.url}/settings/users`);
  await page.getByLabel("Admin email").fill("first@example.com");
  await page.getByLabel("Password (10+ characters)").fill("first password 1");
  await page.getByLabel("Password again").fill("first password 2");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(formError(page, "differ")).toHaveText("The two passwords differ.");
  await page.getByLabel("Password again").fill("first password 1");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  // Signed in as the admin, on the users page that now lists them.
  await expect(page.getByTestId("user-row").filter({ hasText: "first@example.com" })).toBeVisible();

  // Add a user; adding the same email again is refused with the server's reason.
  const add = page.locator("section").filter({ has: page.getByRole("heading", { name: "Add a user" }) });
  await add.getByLabel("Email").fill("second@example.com");
  await add.getByLabel("Password (10+ characters)").fill("second password 1");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(add.getByText("second@example.com can now sign in.")).toBeVisible();
  await expect(page.getByTestId("user-row").filter({ hasText: "second@example.com" })).toBeVisible();
  await add.getByLabel("Email").fill("second@example.com");
  await add.getByLabel("Password (10+ characters)").fill("second password 2");
  await add.getByRole("button", { name: "Add user" }).click();
  await expect(formError(page, "already exists")).toContainText("a user with second@example.com already exists");
  await expect(add.getByRole("button", { name: "Add user" })).toBeEnabled();

  // Change the password: the two new ones must agree, the current one must be right.
  await page.goto(`${server.url}/settings/account`);
  await page.getByLabel("Current password").fill("first password 1");
  await page.getByLabel("New password (10+ characters)").fill("a new password 1");
  await page.getByLabel("New password again").fill("a new password 2");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(formError(page, "differ")).toHaveText("The two new passwords differ.");
  await page.getByLabel("New password again").fill("a new password 1");
  await page.getByLabel("Current password").fill("not my password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(formError(page, "wrong password")).toHaveText("currentPassword: wrong password");
  await page.getByLabel("Current password").fill("first password 1");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Password changed. Other sessions were signed out.")).toBeVisible();
  await expect(formError(page, "password")).toHaveCount(0);
  await expect(page.getByLabel("Current password")).toHaveValue("");
});
