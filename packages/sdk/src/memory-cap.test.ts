/**
 * Server down for a whole run, in a real process: the SDK's memory stays under
 * its queue caps however much is recorded, and what it had to drop is counted
 * and reported by flush().
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

const SCRIPT = `
import { Runtrail } from "SDK_URL";
const MiB = 1024 * 1024;
const heap = () => { globalThis.gc(); globalThis.gc(); return process.memoryUsage().heapUsed; };
// Port 9 (discard) on loopback: connections are refused, every send fails and is retried.
const client = new Runtrail({ baseUrl: "http://127.0.0.1:9", apiKey: "rt_test", maxQueueSize: 10000, maxQueueBytes: 8 * MiB, heartbeatIntervalMs: 0 });
const before = heap();
let peak = 0;
let recorded = 0;
const run = await client.startRun({ name: "server-down" });
recorded++;
for (let i = 0; i < 50000; i++) {
  const task = await run.startTask("step", { i, text: "x".repeat(2000) });
  await task.complete({ output: { i, text: "y".repeat(2000) } });
  recorded += 2;
  // Give the event loop a turn now and then, as real work would (I/O between tasks).
  if (i % 500 === 499) {
    await new Promise((r) => setImmediate(r));
    peak = Math.max(peak, heap() - before);
  }
}
const report = await client.flush(200);
const after = heap() - before;
console.log(JSON.stringify({ recorded, peakMiB: peak / MiB, afterMiB: after / MiB, report }));
process.exit(0);
`;

describe("server down for a whole run (real process)", () => {
  it("keeps the SDK's heap under its queue cap and reports every drop", () => {
    const dir = mkdtempSync(join(tmpdir(), "runtrail-mem-"));
    try {
      const file = join(dir, "script.mjs");
      writeFileSync(file, SCRIPT.replace("SDK_URL", pathToFileURL(distEntry).href));
      const child = spawnSync(process.execPath, ["--expose-gc", file], { encoding: "utf8", timeout: 120_000 });
      expect(child.status, child.stderr).toBe(0);
      const line = child.stdout.trim().split("\n").pop() ?? "{}";
      const result = JSON.parse(line) as {
        recorded: number;
        peakMiB: number;
        afterMiB: number;
        report: { sent: number; pending: number; dropped: Record<string, number> };
      };
      // ~200 MiB of events were recorded; the queue holds at most 8 MiB of them.
      expect(result.recorded).toBe(100_001);
      expect(result.report.sent).toBe(0);
      expect(result.report.pending).toBeGreaterThan(0);
      expect(result.report.pending + (result.report.dropped.queue_overflow ?? 0)).toBe(result.recorded);
      expect(result.peakMiB).toBeLessThan(8 + 8); // the cap plus bookkeeping
      expect(result.afterMiB).toBeLessThan(8 + 8);
      expect(child.stderr).toContain("event queue full"); // warned once
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 130_000);
});
