/**
 * Failed sign-ins, counted per email and per client address in this process. Past the
 * limit, that email (or address) must wait until its oldest failure leaves the window.
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

/** null when a sign-in may be tried now, else how long to wait and why. */
export function loginBlocked(email: string, address: string, now = Date.now()): { retryAfterS: number; what: string } | null {
  for (const { key, limit, what } of keysOf(email, address)) {
    const list = recent(key, now);
    if (list.length >= limit) return { retryAfterS: Math.max(1, Math.ceil(((list[0] ?? now) + WINDOW_MS - now) / 1000)), what };
  }
  return null;
}

export function noteLoginFailure(email: string, address: string, now = Date.now()): void {
  if (failures.size > 50_000) failures.clear(); // bounded memory under a spray of random emails
  for (const { key } of keysOf(email, address)) failures.set(key, [...recent(key, now), now]);
}

/** A right password clears that email's failures (not the address's). */
export function noteLoginSuccess(email: string): void {
  failures.delete(`e:${email.toLowerCase()}`);
}

export function clientAddress(request: Request): string {
  return request.headers.get("x-forwarded-for")?.split(",")[0]?.trim() || "unknown";
}
