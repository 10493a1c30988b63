// Copies the web app's standalone server (apps/web/.next/standalone: server.js, the
// built app and the node_modules it loads, traced by Next.js) into server/, with the
// static files beside it, as a directory npm can pack.
//
// Turbopack requires server externals (PGlite, postgres) under hashed names through
// symlinks it writes in .next/node_modules (`@electric-sql/pglite-<hash>` -> the
// package). An npm tarball cannot hold symlinks, so each one is replaced by the
// directory it points to (moved, not copied: nothing else loads those packages by
// their plain name). Returns where each moved package now is, relative to server/.
import { cpSync, existsSync, lstatSync, readdirSync, readlinkSync, renameSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";

function symlinks(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) found.push(path);
    else if (entry.isDirectory()) symlinks(path, found);
  }
  return found;
}

/** @returns {Map<string, string>} original path -> new path, both relative to `dest` */
export function assembleServer(webDir, dest) {
  const standalone = join(webDir, ".next", "standalone");
  const appDir = join("apps", "web");
  if (!existsSync(join(standalone, appDir, "server.js"))) {
    throw new Error(`${standalone} has no ${appDir}/server.js: build @runtrail/web first (its next.config.ts sets output: "standalone")`);
  }
  rmSync(dest, { recursive: true, force: true });
  cpSync(standalone, dest, { recursive: true, verbatimSymlinks: true });
  // `next build` leaves these for a CDN; the standalone server serves them from here.
  cpSync(join(webDir, ".next", "static"), join(dest, appDir, ".next", "static"), { recursive: true });
  if (existsSync(join(webDir, "public"))) cpSync(join(webDir, "public"), join(dest, appDir, "public"), { recursive: true });

  // next/image's optimiser, which the dashboard does not use (next.config.ts: images
  // unoptimized; Next.js loads it lazily): 19 MB of native code for one platform only.
  for (const unused of ["sharp", "@img"]) rmSync(join(dest, "node_modules", unused), { recursive: true, force: true });

  const moved = new Map();
  for (const link of symlinks(dest)) {
    const target = resolve(dirname(link), readlinkSync(link));
    if (!target.startsWith(dest + sep)) throw new Error(`${link} points outside the standalone server (${target})`);
    rmSync(link);
    const from = relative(dest, target);
    if (moved.has(from)) cpSync(join(dest, moved.get(from)), link, { recursive: true });
    else if (lstatSync(target).isDirectory()) {
      renameSync(target, link);
      moved.set(from, relative(dest, link));
    } else cpSync(target, link);
  }
  return moved;
}
