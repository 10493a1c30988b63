import type { NextConfig } from "next";

/** On every answer: no MIME sniffing, no framing, no full URLs sent to other sites. */
const COMMON_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "same-origin" },
];

const config: NextConfig = {
  // Loaded by Node at run time, not bundled: PGlite ships WASM and data files beside
  // its code, and @runtrail/db finds its migrations relative to its own files.
  // protobufjs finds its optional `long` with a runtime require a bundle would lose
  // (fixed64 times would decode as lossy doubles); the MCP SDK is large and needs no bundling.
  serverExternalPackages: ["@runtrail/db", "@electric-sql/pglite", "postgres", "protobufjs", "@modelcontextprotocol/sdk"],
  // `.next/standalone`: the server with only the files it loads (traced), which the
  // `runtrail` package (apps/cli) ships so `npx runtrail` needs no build. `npm start`
  // runs the same server (scripts/start.mjs).
  output: "standalone",
  outputFileTracingIncludes: {
    // PGlite reads its WASM, its data file and extension bundles (pg_trgm…) from disk at
    // run time; the tracer finds them today, this keeps them if it ever stops.
    "/**": ["../../node_modules/@electric-sql/pglite/dist/*.{wasm,data,tar.gz}"],
  },
  // No next/image optimisation (the dashboard has no raster images): the `runtrail`
  // package then leaves out sharp, 19 MB of native code for one platform.
  images: { unoptimized: true },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  experimental: {
    // What Next.js buffers of a body for proxy.ts (default 10 MB, twice over). Every
    // route the proxy matches takes at most 64 KiB (proxy.ts answers 413 to a larger
    // Content-Length); a chunked body past this is cut, still too large for its route.
    proxyClientMaxBodySize: "96kb",
  },
  async headers() {
    return [
      { source: "/:path*", headers: COMMON_HEADERS },
      // JSON and event streams are never documents: should one be opened as a page, it may load and run nothing.
      { source: "/api/:path*", headers: [{ key: "Content-Security-Policy", value: "default-src 'none'; frame-ancestors 'none'" }] },
    ];
  },
};

export default config;
