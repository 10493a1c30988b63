/**
 * Sign-in attempts, counted per email and per client address in this process. An
 * attempt counts when it starts (before the password is checked, so a thousand guesses
 * sent at once are still ten), and a right password takes its own back. Past the limit,
 * that email (or address) must wait until its oldest failure leaves the window.
 * Per process: with N replicas an attacker gets N times the budget, still far too few
 * guesses for a 10-character password. The address is the first X-Forwarded-For hop
 * (Next.js sets it from the socket when absent), which a client without a proxy in
 * front can forge: the per-email limit is the one that always holds.
 */

const WINDOW_MS = 15 * 60_000;
export const LIMITS = { email: 10, address: 50 } as const;

// One count per process (route bundles may be separate, hence globalThis).
const slot = globalThis as typeof globalThis & { __runtrailLoginFailures?: Map<string, number[]> };
slot.__runtrailLoginFailures ??= new Map();
const failures: Map<string, number[]> = slot.__runtrailLoginFailures;

function recent(key: string, now: number): number[] {
  const list = (failures.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
  if (list.length === 0) failures.delete(key);
  else failures.set(key, list);
  return list;
}

const keysOf = (email: string, address: string) => [
  { key: `e:${email.toLowerCase()}`, limit: LIMITS.email, what: "this email" },
  { key: `a:${address}`, limit: LIMITS.address, what: "this address" },
];

/** Past this many emails and addresses counted, the oldest tenth is forgotten (bounded memory under a spray). */
const MAX_KEYS = 50_000;

/**
 * Asks to try a sign-in now: when allowed (null), the attempt is counted as a failure
 * at `now` until `noteLoginSuccess` takes it back; else how long to wait and why.
 */
export function takeLoginAttempt(email: string, address: string, now = Date.now()): { retryAfterS: number; what: string } | null {
  const keys = keysOf(email, address);
  for (const { key, limit, what } of keys) {
    const list = recent(key, now);
    if (list.length >= limit) return { retryAfterS: Math.max(1, Math.ceil(((list[0] ?? now) + WINDOW_MS - now) / 1000)), what };
  }
  if (failures.size >= MAX_KEYS) forgetOldest(Math.ceil(MAX_KEYS / 10));
  for (const { key } of keys) failures.set(key, [...recent(key, now), now]);
  return null;
}

/** A right password: that email's failures are forgiven, and the address loses this attempt (its other failures stay). */
export function noteLoginSuccess(email: string, address: string, attemptAt: number): void {
  failures.delete(`e:${email.toLowerCase()}`);
  const key = `a:${address}`;
  const list = failures.get(key);
  const i = list?.indexOf(attemptAt) ?? -1;
  if (list && i >= 0) list.splice(i, 1);
  if (list?.length === 0) failures.delete(key);
}

// A Map iterates in insertion order: the first keys are the longest counted.
function forgetOldest(n: number): void {
  let left = n;
  for (const key of failures.keys()) {
    if (left-- <= 0) break;
    failures.delete(key);
  }
}

export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
