// `npm run runtrail -- <command>`: users, projects and API keys on the server's store
// (DATABASE_URL, or the PGlite database in RUNTRAIL_DATA_DIR). The commands live in
// @runtrail/db (src/cli); this builds it when needed and hands over the arguments.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
// Relative to the repo root, like `npm start`, so both find the same ./.runtrail.
process.env.RUNTRAIL_DATA_DIR = resolve(process.env.RUNTRAIL_DATA_DIR || ".runtrail");

// turbo's cache makes this quick after the first time; its output would mix with ours.
const build = spawnSync("npx", ["turbo", "run", "build", "--filter=@runtrail/db", "--output-logs=errors-only"], {
  cwd: root,
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  encoding: "utf8",
});
if (build.status !== 0) {
  process.stderr.write(`${build.stdout}${build.stderr}\nruntrail: building @runtrail/db failed (see above).\n`);
  process.exit(build.status ?? 1);
}
const { main } = await import("@runtrail/db/cli");
await main(process.argv.slice(2));
