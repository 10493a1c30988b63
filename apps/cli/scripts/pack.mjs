// `npm run pack` (from the repository root, through turbo after the build): the
// package as an npm tarball in <repo>/.pack/, e.g. .pack/runtrail-0.1.0.tgz.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const dest = join(pkgDir, "..", "..", ".pack");
for (const built of ["dist/main.js", "server/apps/web/server.js"]) {
  if (!existsSync(join(pkgDir, built))) throw new Error(`${built} is missing: run the build first (npm run pack does, through turbo)`);
}
mkdirSync(dest, { recursive: true });
const out = execFileSync("npm", ["pack", "--json", "--pack-destination", dest], { cwd: pkgDir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
const [info] = JSON.parse(out);
const file = join(dest, info.filename);
const mb = (n) => `${(n / 1024 / 1024).toFixed(1)} MB`;
console.log(`runtrail: ${relative(process.cwd(), file)}: ${mb(statSync(file).size)}, ${info.entryCount} files, ${mb(info.unpackedSize)} unpacked`);
