import { randomUUID } from "node:crypto";
import { listenRunChanges, notifyRunChanges, type RunRef, type Store } from "@runtrail/db";
import { setPublisher, wakeAll, wakeRuns } from "./hub";
import { setStreamReadLimit } from "./read-gate";

/**
 * Live changes across server processes on one Postgres: one LISTEN connection per
 * process, and a NOTIFY after each commit that changed runs (hub.ts `notifyRuns`).
 *
 * The NOTIFY is its own statement after the writing transaction committed, not part of
 * it: Postgres serialises the commits of all transactions that NOTIFY on one global
 * lock, which would queue every ingest transaction behind the others, and the ingest
 * statements stay as they are. The cost is a window: a process killed between its
 * commit and its NOTIFY leaves other processes' streams without that news until the
 * run's next change or their safety read (run-stream.ts); nothing is lost, as a stream
 * reads everything since the version it holds.
 *
 * NOTIFYs do not queue up: one is in flight at a time, and the runs changed meanwhile go
 * out together in the next one, packed into as few payloads as fit.
 *
 * PGlite is one process (its directory has one owner), so the in-process hub reaches
 * every stream there and this only sizes the streams' read gate (read-gate.ts): one read
 * at a time on PGlite's one connection, a few of the Postgres pool's ten.
 */
export function startLiveFeed(store: Store, databaseUrl: string | undefined): () => Promise<void> {
  setStreamReadLimit(store.kind === "pglite" ? 1 : 4);
  if (store.kind !== "postgres" || !databaseUrl) return async () => {};
  // Notifications come back to their sender too: this process's streams were woken already.
  const origin = randomUUID();
  const listener = listenRunChanges(databaseUrl, {
    onChange(notice) {
      if (notice.origin === origin) return;
      for (const { projectId, runId } of notice.runs) wakeRuns(projectId, [runId]);
    },
    onListen: wakeAll,
    onError(err) {
      console.error("runtrail: LISTEN for live changes failed (retrying):", err instanceof Error ? err.message : err);
    },
  });

  const pending = new Map<string, RunRef>();
  let sending = false;
  let failing = false;
  const send = async () => {
    sending = true;
    while (pending.size > 0) {
      const runs = [...pending.values()];
      pending.clear();
      try {
        await notifyRunChanges(store.db, origin, runs);
        failing = false;
      } catch (err) {
        // Other processes' streams learn of these at their next read; say so once per outage.
        if (!failing) console.error("runtrail: NOTIFY of live changes failed:", err instanceof Error ? err.message : err);
        failing = true;
      }
    }
    sending = false;
  };
  setPublisher((projectId, runIds) => {
    for (const runId of runIds) pending.set(`${projectId}\u0000${runId}`, { projectId, runId });
    if (!sending) void send();
  });

  return async () => {
    setPublisher(null);
    await listener.close();
  };
}
