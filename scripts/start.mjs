// `npm start`: build whatever is missing or stale (turbo caches the rest), then serve
// the ingestion API and dashboard with `next start` on HOST:PORT (default 127.0.0.1:3000).
import { spawn, spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const env = {
  ...process.env,
  NEXT_TELEMETRY_DISABLED: "1",
  TURBO_TELEMETRY_DISABLED: "1",
  // Relative to where `npm start` ran (the repo root), not to apps/web.
  RUNTRAIL_DATA_DIR: resolve(process.env.RUNTRAIL_DATA_DIR || ".runtrail"),
};
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";

console.log("Runtrail: building (cached after the first time)…");
const build = spawnSync(
  "npx",
  ["turbo", "run", "build", "--filter=@runtrail/web...", "--filter=@runtrail/sdk", "--output-logs=errors-only"],
  { cwd: root, env, stdio: "inherit" },
);
if (build.status !== 0) {
  console.error("Runtrail: build failed; see the output above.");
  process.exit(build.status ?? 1);
}

console.log(`Runtrail: ${env.DATABASE_URL ? "Postgres (DATABASE_URL)" : `embedded PGlite in ${env.RUNTRAIL_DATA_DIR}`}`);
const server = spawn("npx", ["next", "start", "-H", host, "-p", port], { cwd: resolve(root, "apps/web"), env, stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
console.log(`Runtrail: dashboard and API on http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
