/**
 * Timers that never keep a process alive on their own.
 */

/** Calls `unref()` when the runtime's timers have it (Node, Bun, Deno). */
export function unref<T>(timer: T): T {
  (timer as { unref?: () => void } | null)?.unref?.();
  return timer;
}

/**
 * Waits `ms`; resolves early when `signal` aborts. Resolves true when the full
 * time passed, false when aborted. The timer is unref'd (background work) unless
 * `keepAlive` (a caller awaiting a read must not see the process exit under it).
 */
export function sleep(ms: number, signal: AbortSignal, keepAlive = false): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    if (!keepAlive) unref(timer);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs `callback` on a macrotask: `setImmediate` where the runtime has it
 * (Node, Bun, Deno), else a 0 ms timeout. Either way it runs after every
 * microtask queued before it, so after the caller's `await` chain yields to
 * the event loop (real I/O, a timer), never inside it.
 */
export function onMacrotask(callback: () => void): void {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (typeof immediate === "function") immediate(callback);
  else setTimeout(callback, 0);
}

/** Makes `timer` keep the process alive (`ref`) or not (`unref`), where the runtime's timers can. */
export function keepAlive<T>(timer: T, alive: boolean): T {
  const handle = timer as { ref?: () => void; unref?: () => void } | null;
  if (alive) handle?.ref?.();
  else handle?.unref?.();
  return timer;
}
