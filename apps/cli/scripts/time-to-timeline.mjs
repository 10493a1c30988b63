// Measures what a newcomer waits for: `npm install <tarball>` in an empty directory, then
// `npx runtrail` until it listens, the seed 004 run recorded, and its page until the
// timeline's rows are on screen in Chromium. Needs `npm run pack` first.
//   node apps/cli/scripts/time-to-timeline.mjs [--screenshots=<dir>]
// With --screenshots, also saves the run page with the Export menu open, light and dark.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Runtrail } from "@runtrail/sdk";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const tarball = join(root, ".pack", `runtrail-${version}.tgz`);
const shots = process.argv.find((a) => a.startsWith("--screenshots="))?.slice("--screenshots=".length);
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(RUNTRAIL_|DATABASE_URL$|HOST$|PORT$)/.test(k)));
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const port = await new Promise((resolve) => {
  const srv = createServer().listen(0, "127.0.0.1", () => {
    const { port } = srv.address();
    srv.close(() => resolve(port));
  });
});
const dir = mkdtempSync(join(tmpdir(), "runtrail-first-run-"));
let child;
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  let t = performance.now();
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], { cwd: dir, env, stdio: "ignore" });
  const install = performance.now() - t;

  t = performance.now();
  child = spawn("npx", ["--no-install", "runtrail", "--port", String(port)], { cwd: dir, env, detached: true, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => {
    out += d;
  });
  while (!out.includes("dashboard and API on")) {
    if (child.exitCode !== null) throw new Error(`runtrail exited:\n${out}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const listening = performance.now() - t;
  const apiKey = /(rt_[\w-]{43})/.exec(out)?.[1];

  const client = new Runtrail({ baseUrl: `http://127.0.0.1:${port}`, apiKey });
  const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
  const parse = await run.startTask("parse-pdf", { file: "report.pdf" });
  await parse.complete({ output: { pages: 3 } });
  const summarise = await run.startTask("summarise", { pages: 3 });
  await summarise.complete({ output: { summary: "Three pages." } });
  const [users, products] = await Promise.all([run.startTask("fetch-users"), run.startTask("fetch-products")]);
  await products.complete({ output: { count: 7 } });
  await users.complete({ output: { count: 12 } });
  await run.complete({ output: { summary: "Three pages." } });
  await client.shutdown();
  const recorded = performance.now() - t;

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  const p0 = performance.now();
  await page.goto(`http://127.0.0.1:${port}/runs/${run.id}`);
  await page.getByTestId("timeline-row").nth(3).waitFor();
  const pageLoad = performance.now() - p0;
  const total = performance.now() - t;
  console.log(`install ${seconds(install)}; npx runtrail to listening ${seconds(listening)}; seed run recorded at ${seconds(recorded)}; run page to timeline rows ${seconds(pageLoad)}; npx runtrail to first timeline ${seconds(total)}`);

  if (shots) {
    for (const theme of ["light", "dark"]) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 640 } });
      await context.addCookies([{ name: "runtrail-theme", value: theme, url: `http://127.0.0.1:${port}` }]);
      const p = await context.newPage();
      await p.goto(`http://127.0.0.1:${port}/runs/${run.id}`);
      await p.getByTestId("timeline-row").nth(3).waitFor();
      await p.getByTestId("export-menu").click();
      await p.waitForTimeout(200);
      await p.screenshot({ path: join(shots, `export-menu-${theme}.png`) });
      await context.close();
    }
    console.log(`screenshots in ${shots}`);
  }
} finally {
  await browser.close();
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, "SIGINT");
    await new Promise((r) => child.once("exit", r));
  }
  rmSync(dir, { recursive: true, force: true });
}
