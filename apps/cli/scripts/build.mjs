// `npm run build` of the runtrail package: server/ (the standalone web server, see
// assemble-server.mjs) and dist/ (the command line, bundled). The package then runs
// with nothing but Node: `npm install <tarball> && npx runtrail` builds nothing.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { assembleServer } from "./assemble-server.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, "..");
const serverDir = join(pkgDir, "server");
const outDir = join(pkgDir, "dist");

const moved = assembleServer(join(pkgDir, "..", "web"), serverDir);

/**
 * The store packages the command line shares with the server (PGlite ships WASM and
 * data files, postgres is plain JS): imported from the server's copy, by a path
 * relative to dist/, instead of bundling a second PGlite into the package.
 */
const SHARED = /^(@electric-sql\/pglite|postgres)(\/.*)?$/;

const sharedWithServer = {
  name: "shared-with-server",
  setup(b) {
    b.onResolve({ filter: SHARED }, async (args) => {
      if (args.pluginData === "inner") return undefined;
      const found = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: "inner" });
      if (found.errors.length > 0) return { errors: found.errors };
      const name = SHARED.exec(args.path)?.[1] ?? args.path;
      const marker = `${sep}node_modules${sep}${name.split("/").join(sep)}${sep}`;
      const at = found.path.lastIndexOf(marker);
      if (at === -1) throw new Error(`${args.path} resolved outside node_modules: ${found.path}`);
      const home = join("node_modules", name);
      const target = join(serverDir, moved.get(home) ?? home, found.path.slice(at + marker.length));
      if (!existsSync(target)) throw new Error(`the standalone server lacks ${relative(pkgDir, target)}, which the command line imports (${args.path})`);
      return { path: relative(outDir, target).split(sep).join("/"), external: true };
    });
  },
};

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
await build({
  entryPoints: { main: join(pkgDir, "src", "main.ts") },
  outdir: outDir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  plugins: [sharedWithServer],
  logLevel: "warning",
  legalComments: "none",
});
console.log(`runtrail: server/ from apps/web's standalone build${moved.size ? ` (${[...moved.values()].join(", ")} moved in place of Turbopack's symlinks)` : ""}; dist/ bundled`);
