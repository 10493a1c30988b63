/**
 * How many store reads the live streams of this process may have in flight at once.
 * Streams read in short steps (a run row, a page of tasks); without a bound, a burst of
 * them (a change to a run many pages watch, or readers that open many streams) takes
 * every connection of the pool, or, on PGlite, whose one connection serves queries in
 * turn, queues in front of everything else: ingest and health wait behind them all.
 * With the bound, another request waits for at most a few such steps.
 *
 * Each read also starts on a new turn of the event loop. A stream whose reader keeps
 * up goes from one read to the next in promise callbacks only, and PGlite runs queries
 * on this thread: twenty such streams filling their sockets' buffers kept requests
 * waiting for seconds before they were even read.
 */
interface Gate {
  limit: number;
  active: number;
  waiting: (() => void)[];
}

// Route handlers may be separate bundles: one gate per process, on globalThis.
const slot = globalThis as typeof globalThis & { __runtrailReadGate?: Gate };
slot.__runtrailReadGate ??= { limit: 1, active: 0, waiting: [] };
const gate: Gate = slot.__runtrailReadGate;

/** Sets how many stream reads may run at once (1 for PGlite, a part of the pool on Postgres). */
export function setStreamReadLimit(limit: number): void {
  gate.limit = Math.max(1, limit);
}

/** Runs `read` when a slot is free (first come, first served), and frees the slot after it. */
export async function gatedRead<T>(read: () => Promise<T>): Promise<T> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (gate.active >= gate.limit) await new Promise<void>((resolve) => gate.waiting.push(resolve));
  else gate.active += 1;
  try {
    return await read();
  } finally {
    const next = gate.waiting.shift();
    // The slot passes straight to the next in line, so a newcomer cannot take it first.
    if (next) next();
    else gate.active -= 1;
  }
}
