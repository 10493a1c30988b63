/**
 * In-process wake-ups for live run streams: the ingest and cancel routes call
 * `notifyRuns` after their transaction commits, and every stream watching one of
 * those runs reads its changes at once instead of at its next poll. Streams still
 * poll (other server replicas write to the same database), so a missed wake-up
 * only costs latency.
 */
type Listener = () => void;

// Route handlers may be separate bundles: one registry per process, on globalThis.
const slot = globalThis as typeof globalThis & { __runtrailHub?: Map<string, Set<Listener>> };
slot.__runtrailHub ??= new Map();
const listeners: Map<string, Set<Listener>> = slot.__runtrailHub;

const keyOf = (projectId: string, runId: string) => `${projectId}\u0000${runId}`;

/** Calls `listener` whenever the run may have changed; returns the unsubscribe function. */
export function watchRun(projectId: string, runId: string, listener: Listener): () => void {
  const key = keyOf(projectId, runId);
  let set = listeners.get(key);
  if (!set) {
    set = new Set();
    listeners.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(key) === set) listeners.delete(key);
  };
}

/** Wakes the streams of these runs (no-op for runs nobody watches). */
export function notifyRuns(projectId: string, runIds: Iterable<string>): void {
  for (const runId of runIds) {
    const set = listeners.get(keyOf(projectId, runId));
    if (!set) continue;
    for (const listener of [...set]) listener();
  }
}
