/**
 * Wake-ups for live run streams. The ingest and cancel routes and the sweeper call
 * `notifyRuns` after their transaction commits: the streams of those runs in this
 * process read their changes at once, and the publisher (feed.ts, on Postgres) tells
 * the other server processes, whose feeds call `wakeRuns` for their own streams. A
 * missed wake-up costs latency, never data: a stream reads everything since the version
 * it holds, and still reads its run now and then without news (run-stream.ts).
 */
type Listener = () => void;
type Publisher = (projectId: string, runIds: readonly string[]) => void;

interface Hub {
  listeners: Map<string, Set<Listener>>;
  publish: Publisher | null;
}

// Route handlers may be separate bundles: one hub per process, on globalThis.
const slot = globalThis as typeof globalThis & { __runtrailHub?: Hub };
slot.__runtrailHub ??= { listeners: new Map(), publish: null };
const hub: Hub = slot.__runtrailHub;

const keyOf = (projectId: string, runId: string) => `${projectId}\u0000${runId}`;

/** Calls `listener` whenever the run may have changed; returns the unsubscribe function. */
export function watchRun(projectId: string, runId: string, listener: Listener): () => void {
  const key = keyOf(projectId, runId);
  let set = hub.listeners.get(key);
  if (!set) {
    set = new Set();
    hub.listeners.set(key, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && hub.listeners.get(key) === set) hub.listeners.delete(key);
  };
}

/** Wakes this process's streams of these runs (no-op for runs nobody here watches). */
export function wakeRuns(projectId: string, runIds: Iterable<string>): void {
  for (const runId of runIds) {
    const set = hub.listeners.get(keyOf(projectId, runId));
    if (!set) continue;
    for (const listener of [...set]) listener();
  }
}

/** Wakes every stream of this process: news may have been missed (the LISTEN connection dropped). */
export function wakeAll(): void {
  for (const set of [...hub.listeners.values()]) {
    for (const listener of [...set]) listener();
  }
}

/** After a commit that changed these runs: wakes their streams here and tells the other server processes. */
export function notifyRuns(projectId: string, runIds: Iterable<string>): void {
  const ids = [...runIds];
  if (ids.length === 0) return;
  wakeRuns(projectId, ids);
  hub.publish?.(projectId, ids);
}

/** Sets (or, with null, removes) how changes reach other server processes. */
export function setPublisher(publish: Publisher | null): void {
  hub.publish = publish;
}
