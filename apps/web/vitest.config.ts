import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (app, components, lib: pure code and mocks, no server, no Next
 * build) and `integration` (test/: the built server, real stores, real HTTP). `npm test`
 * runs both; `npm run test:unit` only the first, which needs no `next build`.
 */
export default defineConfig({
  resolve: { alias: { "@": fileURLToPath(new URL(".", import.meta.url)) } },
  test: {
    projects: [
      { extends: true, test: { name: "unit", include: ["app/**/*.test.ts", "components/**/*.test.ts", "lib/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 180_000 } },
    ],
  },
});
