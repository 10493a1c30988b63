/**
 * Timers that never keep a process alive on their own.
 */

/** Calls `unref()` when the runtime's timers have it (Node, Bun, Deno). */
export function unref<T>(timer: T): T {
  (timer as { unref?: () => void } | null)?.unref?.();
  return timer;
}

/**
 * Waits `ms` on an unref'd timer; resolves early when `signal` aborts.
 * Resolves true when the full time passed, false when aborted.
 */
export function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = unref(
      setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(true);
      }, ms),
    );
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
