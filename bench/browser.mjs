// playwright-core: installed with e2e's @playwright/test (scripts/screenshot.mjs uses it the same way).
import { chromium } from "playwright-core";

/** Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium), headless, never a downloaded browser. */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

/**
 * Opens a run page and waits until its timeline is usable with every task: hydrated (the
 * overview canvas sized by its effect) and, for a big run, the rest of its tasks streamed.
 */
export async function openTimeline(page, url, timeoutMs) {
  await page.goto(url, { waitUntil: "load", timeout: timeoutMs });
  await page.waitForSelector('[data-testid="timeline-minimap"] canvas[height]', { timeout: timeoutMs });
  await page.waitForSelector('[data-testid="timeline-loading"]', { state: "detached", timeout: timeoutMs });
}
