#!/usr/bin/env node
/**
 * Puts back the other platforms' optional package entries that `npm install`
 * drops from package-lock.json on this machine (its registry serves only the
 * linux-x64 builds of turbo and biome). Without them `npm ci` refuses the lock.
 *
 * Usage, after changing dependencies:  node scripts/fix-lock.mjs && npm ci
 * Entries are taken from the committed lock (`git show HEAD:package-lock.json`).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const committed = JSON.parse(execFileSync("git", ["show", "HEAD:package-lock.json"], { encoding: "utf8", maxBuffer: 1 << 28 }));
const current = JSON.parse(readFileSync("package-lock.json", "utf8"));
let added = 0;
for (const [path, entry] of Object.entries(committed.packages)) {
  if (path in current.packages || !entry.optional || !(entry.os || entry.cpu)) continue;
  // Only bring back platform builds of a package the current lock still depends on.
  const parent = Object.values(current.packages).some((p) => p.optionalDependencies && path.split("node_modules/").pop() in p.optionalDependencies);
  if (!parent) continue;
  current.packages[path] = entry;
  added++;
}
const sorted = Object.fromEntries(
  Object.entries(current.packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
current.packages = sorted;
writeFileSync("package-lock.json", `${JSON.stringify(current, null, 2)}\n`);
console.log(`fix-lock: restored ${added} optional platform entries`);
