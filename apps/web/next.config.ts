import type { NextConfig } from "next";

const config: NextConfig = {
  // Loaded by Node at run time, not bundled: PGlite ships WASM and data files beside
  // its code, and @runtrail/db finds its migrations relative to its own files.
  serverExternalPackages: ["@runtrail/db", "@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
