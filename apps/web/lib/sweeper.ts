import { type Db, sweepTimedOutRuns } from "@runtrail/db";
import { analyzeIfDue } from "./analyze";
import { env } from "./env";
import { notifyRuns } from "./live/hub";

/**
 * Marks runs whose process went silent (no events, no heartbeats) past their
 * timeout as `timed_out`, every `RUNTRAIL_SWEEP_INTERVAL_MS`. Silence is counted
 * from this process's start at the earliest: while the server was down, clients
 * could not reach it. Several replicas may sweep at once; the per-run lock and a
 * re-check inside it make that harmless. The same timer keeps planner statistics
 * fresh (analyze.ts).
 */
export function startSweeper(db: Db): () => void {
  const startedAt = new Date();
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      for (;;) {
        const swept = await sweepTimedOutRuns(db, { defaultTimeoutMs: env.runTimeoutMs, notBefore: startedAt });
        for (const { projectId, runId } of swept) notifyRuns(projectId, [runId]);
        if (swept.length > 0 && !env.quiet) console.log(`runtrail: ${swept.length} silent run(s) marked timed_out`);
        if (swept.length < 100) break;
      }
      await analyzeIfDue(db);
    } catch (err) {
      console.error("runtrail: timeout sweep failed (will retry):", err instanceof Error ? err.message : err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), env.sweepIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
