// Screenshots dashboard pages in Debian's Chromium, to look at what we build:
//   node scripts/screenshot.mjs <url> <out.png> [width] [height] [--click=<selector>]
import { chromium } from "playwright-core";

const [url, out, width = "1440", height = "900", ...rest] = process.argv.slice(2);
if (!url || !out) {
  console.error("usage: node scripts/screenshot.mjs <url> <out.png> [width] [height] [--click=<selector>]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: Number(height) } });
  await page.goto(url, { waitUntil: "networkidle" });
  for (const arg of rest) {
    if (arg.startsWith("--click=")) await page.click(arg.slice("--click=".length));
  }
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: true });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
