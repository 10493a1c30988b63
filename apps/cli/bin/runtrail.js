#!/usr/bin/env node
// `npx runtrail`: see src/main.ts (bundled into dist/ by scripts/build.mjs).
import { main } from "../dist/main.js";

await main(process.argv.slice(2));
