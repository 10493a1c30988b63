import { randomUUID } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { type RunStatus, runs, tasks } from "../schema.js";
import { runEndReason } from "../projection.js";
import { applyEvents, type IngestEvent, lockRuns } from "./ingest.js";
import { type RunView, toRunView } from "./views.js";

export type EndRunResult =
  | { ok: true; run: RunView }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "already_finished"; status: RunStatus }
  /** Timeout only: the run spoke again since the sweeper looked. */
  | { ok: false; reason: "not_silent" };

export interface EndRunOptions {
  kind: "cancel" | "timeout";
  /** Shown as the run's error message and on its cancelled tasks. */
  reason?: string | undefined;
  /** Timeout only: silence (ms) the run must still show once locked. */
  silentForMs?: number;
}

/** Seq for server-made events: after everything stored, on the same clock as the SDK's. */
export function serverSeq(lastSeq: number, now: number = Date.now()): number {
  return Math.max(lastSeq + 1, now * 1000);
}

/**
 * Cancels or times out a running run: under the run's lock, appends a server-made
 * `run.cancel` / `run.timeout` event and a `task.cancel` for each running task, then
 * projects them like any ingested batch. Events the process recorded before this
 * (lower seq) still win when they arrive later; later ones are answered `conflict`.
 */
export async function endRun(db: Db, projectId: string, runId: string, options: EndRunOptions): Promise<EndRunResult> {
  return db.transaction(async (tx): Promise<EndRunResult> => {
    await lockRuns(tx, projectId, [runId]);
    const [run] = await tx
      .select({ status: runs.status, lastSeq: runs.lastSeq, silentMs: sql<number>`extract(epoch from now() - ${runs.lastSeenAt}) * 1000` })
      .from(runs)
      .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
    if (!run) return { ok: false, reason: "not_found" };
    if (run.status !== "running") return { ok: false, reason: "already_finished", status: run.status };
    if (options.silentForMs !== undefined && Number(run.silentMs) < options.silentForMs) return { ok: false, reason: "not_silent" };

    const running = await tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.projectId, projectId), eq(tasks.runId, runId), eq(tasks.status, "running")))
      .orderBy(asc(tasks.id));
    const ts = new Date();
    const seq = serverSeq(run.lastSeq, ts.getTime());
    const tag = `srv.${options.kind}.${randomUUID()}`;
    const reason = options.reason ?? null;
    const runEvent: IngestEvent = { id: tag, runId, seq, type: options.kind === "cancel" ? "run.cancel" : "run.timeout", taskId: null, ts, payload: reason ? { reason } : {} };
    const taskReason = runEndReason(runEvent);
    const batch: IngestEvent[] = [
      runEvent,
      ...running.map((t, i) => ({ id: `${tag}.${i}`, runId, seq: seq + 1 + i, type: "task.cancel", taskId: t.id, ts, payload: { reason: taskReason } })),
    ];
    await applyEvents(tx, projectId, batch);
    const [after] = await tx
      .select()
      .from(runs)
      .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
    if (!after) throw new Error(`run ${runId} vanished inside its own lock`);
    return { ok: true, run: toRunView(after) };
  });
}

export interface SweepOptions {
  /** Silence allowed to runs that did not declare heartbeatTimeoutMs. */
  defaultTimeoutMs: number;
  /**
   * Silence is counted from no earlier than this (the sweeping process's start): while
   * the server was down, clients could not reach it, so their silence is not theirs.
   */
  notBefore: Date;
  /** Runs handled per call. Default 100. */
  limit?: number;
}

/** Marks running runs that went silent past their timeout as `timed_out`; returns them. */
export async function sweepTimedOutRuns(db: Db, options: SweepOptions): Promise<{ projectId: string; runId: string }[]> {
  const timeout = sql`coalesce(${runs.heartbeatTimeoutMs}, ${options.defaultTimeoutMs})`;
  const since = sql`greatest(${runs.lastSeenAt}, ${options.notBefore.toISOString()}::timestamptz)`;
  const candidates = await db
    .select({ projectId: runs.projectId, runId: runs.id, timeoutMs: sql<number>`${timeout}` })
    .from(runs)
    .where(and(eq(runs.status, "running"), sql`${since} + ${timeout} * interval '1 millisecond' < now()`))
    .orderBy(asc(runs.lastSeenAt))
    .limit(options.limit ?? 100);
  const done: { projectId: string; runId: string }[] = [];
  for (const c of candidates) {
    const seconds = Math.round(Number(c.timeoutMs) / 1000);
    const result = await endRun(db, c.projectId, c.runId, {
      kind: "timeout",
      reason: `no events or heartbeats for ${seconds} s: the process stopped or lost its connection`,
      silentForMs: Number(c.timeoutMs),
    });
    if (result.ok) done.push({ projectId: c.projectId, runId: c.runId });
  }
  return done;
}
