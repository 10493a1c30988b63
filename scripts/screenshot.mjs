// Screenshots dashboard pages in Debian's Chromium, to look at what we build:
//   node scripts/screenshot.mjs <url> <out.png> [width] [height] [options]
// options:
//   --click=<selector>   click it before the picture (repeatable)
//   --theme=light|dark   the theme switch's choice (sets its cookie)
//   --scheme=light|dark  the system preference (prefers-color-scheme), for theme "System"
//   --tab=<n>            press Tab n times first, to see the keyboard focus
//   --viewport-only      the window only, not the full page
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith("--"));
const flags = args.filter((a) => a.startsWith("--"));
const [url, out, width = "1440", height = "900"] = positional;
const flag = (name) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
if (!url || !out) {
  console.error("usage: node scripts/screenshot.mjs <url> <out.png> [width] [height] [--click=<selector>] [--theme=light|dark] [--scheme=light|dark] [--tab=<n>] [--viewport-only]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const scheme = flag("scheme");
  const context = await browser.newContext({
    viewport: { width: Number(width), height: Number(height) },
    colorScheme: scheme === "dark" || scheme === "light" ? scheme : "light",
  });
  const theme = flag("theme");
  if (theme) await context.addCookies([{ name: "runtrail-theme", value: theme, url }]);
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "networkidle" });
  for (const f of flags) {
    if (f.startsWith("--click=")) await page.click(f.slice("--click=".length));
  }
  for (let i = 0; i < Number(flag("tab") ?? 0); i++) await page.keyboard.press("Tab");
  await page.waitForTimeout(300);
  await page.screenshot({ path: out, fullPage: !flags.includes("--viewport-only") });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
}
