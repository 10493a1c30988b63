import { type Db, sweepTimedOutRuns } from "@runtrail/db";
import { analyzeIfDue } from "./analyze";
import { env } from "./env";
import { notifyRuns } from "./live/hub";

/**
 * Marks runs whose process went silent (no events, no heartbeats) past their
 * timeout as `timed_out`, every `RUNTRAIL_SWEEP_INTERVAL_MS`. Silence is counted
 * from this process's start at the earliest, and from the end of a database
 * outage: while either was down, clients could not reach us. Several replicas may sweep at once; the per-run lock and a
 * re-check inside it make that harmless. The same timer keeps planner statistics
 * fresh (analyze.ts).
 */
export function startSweeper(db: Db): () => void {
  // Silence counts from here at the earliest; moved forward when the store comes back
  // after an outage, during which clients could not reach us either.
  let notBefore = new Date();
  let storeWasDown = false;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      if (storeWasDown) notBefore = new Date();
      for (;;) {
        const swept = await sweepTimedOutRuns(db, { defaultTimeoutMs: env.runTimeoutMs, notBefore });
        storeWasDown = false;
        for (const { projectId, runId } of swept) notifyRuns(projectId, [runId]);
        if (swept.length > 0 && !env.quiet) console.log(`runtrail: ${swept.length} silent run(s) marked timed_out`);
        if (swept.length < 100) break;
      }
      await analyzeIfDue(db);
    } catch (err) {
      storeWasDown = true;
      console.error("runtrail: timeout sweep failed (will retry):", err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), env.sweepIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
