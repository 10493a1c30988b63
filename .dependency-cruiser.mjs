/**
 * Import cycles, checked by each package's `npm run lint` (dependency-cruiser over its
 * own TypeScript; other packages are reached through node_modules and not followed, and
 * workspace packages cannot depend on each other in a circle). Type-only imports count:
 * a cycle of types still ties two files together.
 */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import cycle: split out what both sides need, or turn one direction around.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: ["(^|/)node_modules/", "(^|/)\\.next/", "(^|/)dist/", "(^|/)\\.turbo/"] },
    tsPreCompilationDeps: true,
    // Each package runs this from its own folder: its tsconfig gives the path aliases (apps/web's "@/").
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"], extensions: [".ts", ".tsx", ".js", ".mjs", ".d.ts"] },
  },
};
