import type { BrowserContext, Page } from "@playwright/test";
import { Runtrail } from "@runtrail/sdk";
import { findLowContrastText } from "./contrast";
import { expect, test } from "./server-fixture";

test.use({ serverName: "theme" });

/** Relative luminance (0 black … 1 white) of the page background as painted. */
function pageLuminance(page: Page): Promise<number> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 1;
    canvas.height = 1;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("no 2d canvas");
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = ctx.getImageData(0, 0, 1, 1).data;
    const lin = (byte: number) => {
      const c = byte / 255;
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
  });
}

const LIGHT = 0.8;
const DARK = 0.05;

async function themeCookie(context: BrowserContext): Promise<string | undefined> {
  return (await context.cookies()).find((c) => c.name === "runtrail-theme")?.value;
}

test("the theme switch applies at once, sticks across reloads, and System follows the OS", async ({ page, context, server }) => {
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${server.url}/runs`);
  const html = page.locator("html");
  await expect(html).not.toHaveAttribute("data-theme");
  await expect(page.getByTestId("theme-system")).toHaveAttribute("aria-pressed", "true");
  expect(await pageLuminance(page)).toBeGreaterThan(LIGHT);

  await page.getByTestId("theme-dark").click();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect.poll(() => pageLuminance(page)).toBeLessThan(DARK);
  expect(await themeCookie(context)).toBe("dark");

  // The server renders the choice into the HTML: right on first paint, no script involved.
  const served = await (await page.request.get(`${server.url}/runs`)).text();
  expect(served).toMatch(/<html[^>]*data-theme="dark"/);
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(page.getByTestId("theme-dark")).toHaveAttribute("aria-pressed", "true");
  expect(await pageLuminance(page)).toBeLessThan(DARK);
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).colorScheme)).toBe("dark");

  // An explicit Light wins over a dark OS.
  await page.emulateMedia({ colorScheme: "dark" });
  await page.getByTestId("theme-light").click();
  await page.reload();
  await expect(html).toHaveAttribute("data-theme", "light");
  expect(await pageLuminance(page)).toBeGreaterThan(LIGHT);

  // System drops the cookie and follows prefers-color-scheme both ways, without a reload.
  await page.getByTestId("theme-system").click();
  expect(await themeCookie(context)).toBeUndefined();
  await page.reload();
  await expect(html).not.toHaveAttribute("data-theme");
  expect(await pageLuminance(page)).toBeLessThan(DARK);
  await page.emulateMedia({ colorScheme: "light" });
  await expect.poll(() => pageLuminance(page)).toBeGreaterThan(LIGHT);
  await page.emulateMedia({ colorScheme: "dark" });
  await expect.poll(() => pageLuminance(page)).toBeLessThan(DARK);
});

test("without JavaScript the switch posts the choice and comes back to the same page", async ({ browser, server }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, colorScheme: "light" });
  const page = await context.newPage();
  await page.goto(`${server.url}/runs?status=failed`);
  await page.getByTestId("theme-dark").click();
  await expect(page).toHaveURL(/\/runs\?status=failed$/);
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  expect(await themeCookie(context)).toBe("dark");
  await context.close();

  const crossSite = await fetch(`${server.url}/theme`, { method: "POST", body: new URLSearchParams({ theme: "dark" }), headers: { origin: "https://elsewhere.example" } });
  expect(crossSite.status).toBe(403);
  const bad = await fetch(`${server.url}/theme`, { method: "POST", body: new URLSearchParams({ theme: "sepia" }) });
  expect(bad.status).toBe(400);
  expect(((await bad.json()) as { error: { message: string } }).error.message).toContain("theme: must be");
});

test("every page's text meets WCAG AA contrast in both themes, empty and with runs", async ({ browser, server }) => {
  test.setTimeout(240_000);
  /** Each path with what shows it is ready (charts draw after hydration; a running run's page never goes network-idle). */
  const pages = async (paths: [string, string][]) => {
    for (const theme of ["light", "dark"]) {
      const context = await browser.newContext();
      await context.addCookies([{ name: "runtrail-theme", value: theme, url: server.url }]);
      const page = await context.newPage();
      for (const [path, ready] of paths) {
        await page.goto(`${server.url}${path}`);
        await expect(page.locator(ready).first()).toBeVisible();
        expect(await findLowContrastText(page), `${theme} ${path}`).toEqual([]);
      }
      await context.close();
    }
  };
  await pages([
    ["/overview", "[data-testid=overview-empty]"],
    ["/runs", "text=No runs yet"],
    ["/no-such-page", "text=Nothing here"],
  ]);

  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const done = await client.startRun({ name: "report", tags: ["docs"], input: { file: "report.pdf" } });
  const parse = await done.startTask("parse-pdf", { file: "report.pdf" });
  await parse.complete({ output: { pages: 3 }, usage: { inputTokens: 1200, outputTokens: 90, costUsd: 0.02 } });
  await (await done.startTask("cache-lookup")).skip({ reason: "cache miss" });
  await done.complete();
  const failed = await client.startRun({ name: "support-triage", tags: ["support"] });
  await (await failed.startTask("classify")).complete();
  const lookup = await failed.startTask("lookup-customer");
  await lookup.fail({ errorMessage: "Connection refused: billing-db:5432" });
  await failed.fail({ errorMessage: "lookup-customer failed" });
  const running = await client.startRun({ name: "embed-corpus" });
  (await running.startTask("embed")).update({ statusMessage: "batch 4 of 12", progress: 0.3 });
  await client.flush();

  await pages([
    ["/overview", "[data-testid=panel-usage] svg.recharts-surface"],
    ["/runs", "[data-testid=run-row]"],
    ["/runs?q=zzz", "[data-testid=no-matches]"],
    [`/runs/${failed.id}?task=${encodeURIComponent(lookup.id)}`, "[data-testid=task-error]"],
    [`/runs/${done.id}`, "[data-testid=timeline-row]"],
    [`/runs/${running.id}`, "[data-testid=timeline-row]"],
    ["/runs/no-such-run", "text=Run not found"],
  ]);
  await running.complete();
  expect((await client.shutdown()).pending).toBe(0);
});

test("keyboard focus is visible on every stop of the runs list and a run page", async ({ page, server }) => {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "keyboard" });
  const parent = await run.startTask("parent");
  await (await parent.startTask("child")).complete();
  await parent.complete();
  await run.complete();
  expect((await client.shutdown()).pending).toBe(0);

  for (const path of ["/runs", `/runs/${run.id}`]) {
    await page.goto(`${server.url}${path}`);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      await page.keyboard.press("Tab");
      // Visible = an outline, or a ring (box-shadow, on the element or its ::after) that
      // only appears with the focus: a card's resting shadow does not count.
      const stop = await page.evaluate(() => {
        const el = document.activeElement;
        if (!(el instanceof HTMLElement) || el === document.body) return null;
        const look = () => {
          const own = getComputedStyle(el);
          return { outline: own.outlineStyle !== "none" && Number.parseFloat(own.outlineWidth) >= 2, shadow: `${own.boxShadow} ${getComputedStyle(el, "::after").boxShadow}` };
        };
        const focused = look();
        el.blur();
        const resting = look();
        el.focus();
        return { name: `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || "").trim().slice(0, 30)}"`, visible: focused.outline || focused.shadow !== resting.shadow };
      });
      if (!stop) break;
      expect(stop.visible, `${path}: focus on ${stop.name} is not visible`).toBe(true);
      seen.add(stop.name);
    }
    // The skip link, the header, the theme switch and the page's own controls were all reached.
    expect(seen.size, path).toBeGreaterThan(8);
  }
});
