import { findApiKey, touchApiKey } from "@runtrail/db";
import { LRUCache } from "lru-cache";
import { clientAddress } from "../auth/client-address";
import { processSingleton } from "../process-singleton";
import { getDb } from "../store";
import { badKeyLimit, rateLimit } from "./rate-limit";
import { apiError, storeError } from "./responses";

// Hot path: ingest checks the key on every batch. A short TTL bounds how long a key
// revoked on another replica (or from the command line) keeps working in this process;
// a revoke in this process's dashboard clears the cache at once (forgetApiKeys).
const TTL_MS = 5_000;
/** last_used_at is written at most this often per key and process. */
const TOUCH_MS = 60_000;

type Key = { id: string; projectId: string };
interface Caches {
  /** Keys found, least recently used dropped first past 10,000: a flood of wrong keys cannot push them out. */
  valid: LRUCache<string, Key>;
  /** Keys not found (wrong or revoked), in a cache of their own. */
  wrong: LRUCache<string, true>;
  touched: LRUCache<string, number>;
}
// One set of caches per process: a revoke in one route's bundle clears them for all.
const caches = processSingleton(
  "key-caches",
  (): Caches => ({
    valid: new LRUCache({ max: 10_000, ttl: TTL_MS }),
    wrong: new LRUCache({ max: 2_000, ttl: TTL_MS }),
    touched: new LRUCache({ max: 10_000, ttl: TOUCH_MS }),
  }),
);

export type Authed = { ok: true; projectId: string; keyId: string } | { ok: false; response: Response };

/** Drops every cached key: the next request of each asks the database again (after a revoke). */
export function forgetApiKeys(): void {
  caches.valid.clear();
  caches.wrong.clear();
}

const unauthorized = (message: string, error?: string) =>
  apiError(401, "unauthorized", message, { headers: { "www-authenticate": `Bearer realm="runtrail"${error ? `, error="${error}"` : ""}` } });

/**
 * Resolves `Authorization: Bearer <key>` to the key's project, or the answer: 401 for
 * a missing or wrong key (429 once the client's address sent too many wrong ones), 429
 * when the key spent its rate limit, 503 if the store fails.
 */
export async function authenticate(request: Request): Promise<Authed> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) return { ok: false, response: unauthorized("missing header Authorization: Bearer <api key>") };
  const secret = match[1];
  let key = caches.valid.get(secret);
  try {
    if (!key && !caches.wrong.has(secret)) {
      const found = await findApiKey(await getDb(), secret);
      if (found) caches.valid.set(secret, found);
      else caches.wrong.set(secret, true);
      key = found ?? undefined;
    }
    if (!key) {
      // Counted per address, so one client's wrong keys never cost another's right ones.
      const limited = await badKeyLimit(clientAddress(request.headers));
      return { ok: false, response: limited ?? unauthorized("invalid or revoked API key", "invalid_token") };
    }
    // 429 + Retry-After once the key spent its budget (lib/api/rate-limit.ts).
    const limited = await rateLimit(key.id);
    if (limited) return { ok: false, response: limited };
  } catch (err) {
    return { ok: false, response: storeError(err) };
  }
  noteKeyUse(key.id);
  return { ok: true, projectId: key.projectId, keyId: key.id };
}

/** Moves the key's last_used_at in the background, at most once a minute per process. */
function noteKeyUse(keyId: string): void {
  if (caches.touched.has(keyId)) return;
  caches.touched.set(keyId, Date.now());
  void getDb()
    .then((db) => touchApiKey(db, keyId, TOUCH_MS))
    .catch(() => caches.touched.delete(keyId));
}
