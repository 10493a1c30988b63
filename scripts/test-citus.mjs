// `npm run test:citus`: the integration suites on a Citus cluster instead of plain
// Postgres and PGlite. CITUS_URL names the cluster's coordinator (a database with the
// citus extension and its workers registered; `node scripts/citus-cluster.mjs start`
// makes one on this machine). Every suite that runs on `testStoreKinds()` then gets
// throwaway databases on the cluster with the distributed layout (see
// packages/db/src/testing/citus-store.ts): all of packages/db, and the apps/web suites
// that use store kinds (after building the web app). Without CITUS_URL it says so,
// loudly, and exits 0: CI has no Citus.
//
//   npm run test:citus                 db and web suites
//   npm run test:citus -- --db         packages/db only
//   npm run test:citus -- <files…>     these files (paths from the repo root)
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");

if (!process.env.CITUS_URL) {
  const line = "#".repeat(78);
  process.stderr.write(
    `\n${line}\n##\n##   test:citus SKIPPED: CITUS_URL is not set, NOTHING WAS TESTED ON CITUS.\n##\n` +
      "##   Start a cluster (Citus installed into Postgres 15) and run again:\n" +
      "##     node scripts/citus-cluster.mjs start        # prints CITUS_URL=...\n" +
      "##     CITUS_URL=postgres://postgres@127.0.0.1:9700/runtrail npm run test:citus\n" +
      `##   See docs/scaling.md.\n##\n${line}\n\n`,
  );
  process.exit(0);
}

const env = { ...process.env, RUNTRAIL_TEST_STORE: "citus", TURBO_TELEMETRY_DISABLED: "1", NEXT_TELEMETRY_DISABLED: "1" };
const run = (cmd, args, cwd = root) => spawnSync(cmd, args, { cwd, env, stdio: "inherit" }).status ?? 1;

const args = process.argv.slice(2);
const dbOnly = args.includes("--db");
const files = args.filter((a) => !a.startsWith("--")).map((f) => resolve(root, f));
const inDb = (f) => f.startsWith(join(root, "packages/db/"));
const inWeb = (f) => f.startsWith(join(root, "apps/web/"));

/** apps/web suites that run per store kind, or have a Citus case of their own (the fault test). */
function webSuites() {
  const dir = join(root, "apps/web/test");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".test.ts") && /testStoreKinds|RUNTRAIL_TEST_STORE/.test(readFileSync(join(dir, f), "utf8")))
    .map((f) => join(dir, f));
}

const dbFiles = files.length > 0 ? files.filter(inDb) : [];
const webFiles = files.length > 0 ? files.filter(inWeb) : dbOnly ? [] : webSuites();
const runDb = files.length === 0 || dbFiles.length > 0;
const failures = [];

console.log(`test:citus on ${process.env.CITUS_URL.replace(/:[^:@/]*@/, ":***@")}`);
if (runDb || webFiles.length > 0) {
  const filter = webFiles.length > 0 ? ["--filter=@runtrail/web...", "--filter=@runtrail/sdk"] : ["--filter=@runtrail/db"];
  if (run("npx", ["turbo", "run", "build", ...filter, "--output-logs=errors-only"]) !== 0) {
    console.error("test:citus: the build failed (see above).");
    process.exit(1);
  }
}
if (runDb) {
  const dir = join(root, "packages/db");
  if (run("npx", ["vitest", "run", ...dbFiles.map((f) => relative(dir, f))], dir) !== 0) failures.push("packages/db");
}
if (webFiles.length > 0) {
  const dir = join(root, "apps/web");
  if (run("npx", ["vitest", "run", ...webFiles.map((f) => relative(dir, f))], dir) !== 0) failures.push("apps/web");
}
if (failures.length > 0) {
  console.error(`test:citus: failures in ${failures.join(", ")} (see above).`);
  process.exit(1);
}
console.log("test:citus: every suite passed on Citus.");
