// `npm start`: build whatever is missing or stale (turbo caches the rest), then serve the
// ingestion API and dashboard on HOST:PORT (default 127.0.0.1:3000) the way `npx runtrail`
// does: the same command line (apps/cli) running the same standalone server.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

console.log("Runtrail: building (cached after the first time)…");
const build = spawnSync(
  "npx",
  ["turbo", "run", "build", "--filter=runtrail...", "--filter=@runtrail/sdk", "--output-logs=errors-only"],
  { cwd: root, env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", TURBO_TELEMETRY_DISABLED: "1" }, stdio: "inherit" },
);
if (build.status !== 0) {
  console.error("Runtrail: build failed; see the output above.");
  process.exit(build.status ?? 1);
}

// Options after `npm start --` go to the command line (`npm start -- --port 4000`);
// RUNTRAIL_DATA_DIR stays relative to where `npm start` ran (the repo root).
const { main } = await import("../apps/cli/dist/main.js");
await main(["serve", ...process.argv.slice(2)]);
