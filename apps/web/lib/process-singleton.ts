/**
 * Process-wide state. Next.js bundles route handlers, pages and instrumentation
 * separately, each with its own copy of a module, so state kept in a module variable
 * would exist once per bundle: PGlite's directory opened twice, a rate limit per route.
 * These keep it on `globalThis` under `Symbol.for("runtrail.<name>")`, which every copy
 * of every module finds.
 */
const slots = globalThis as typeof globalThis & Record<symbol, unknown>;

/** This process's value of `name`, made by `create` on the first call (from any bundle). */
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`runtrail.${name}`);
  if (!(key in slots)) slots[key] = create();
  return slots[key] as T;
}

/**
 * This process's promise of `name`, made by `create` on the first call; once it rejects,
 * the next call makes a new one (a store that failed to open is tried again, not
 * remembered as broken).
 */
export function processPromise<T>(name: string, create: () => Promise<T>): Promise<T> {
  const box = processSingleton<{ promise?: Promise<T> }>(name, () => ({}));
  box.promise ??= create().catch((err: unknown) => {
    box.promise = undefined;
    throw err;
  });
  return box.promise;
}
