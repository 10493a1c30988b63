import { findApiKey, touchApiKey } from "@runtrail/db";
import { getDb } from "../store";
import { rateLimit } from "./rate-limit";
import { apiError, storeError } from "./responses";

// Hot path: ingest checks the key on every batch. A short TTL bounds how long a key
// revoked on another replica (or from the command line) keeps working in this process;
// a revoke in this process's dashboard clears the cache at once (forgetApiKeys).
const TTL_MS = 5_000;
/** last_used_at is written at most this often per key and process. */
const TOUCH_MS = 60_000;

type Hit = { key: { id: string; projectId: string } | null; until: number };
// Route handlers may be separate bundles: one cache per process, on globalThis.
const slot = globalThis as typeof globalThis & { __runtrailKeyCache?: Map<string, Hit>; __runtrailKeyTouched?: Map<string, number> };
slot.__runtrailKeyCache ??= new Map();
slot.__runtrailKeyTouched ??= new Map();
const cache: Map<string, Hit> = slot.__runtrailKeyCache;
const touched: Map<string, number> = slot.__runtrailKeyTouched;

export type Authed = { ok: true; projectId: string; keyId: string } | { ok: false; response: Response };

/** Drops every cached key: the next request of each asks the database again (after a revoke). */
export function forgetApiKeys(): void {
  cache.clear();
}

/** Resolves `Authorization: Bearer <key>` to the key's project, or a 401 (503 if the store fails) answer. */
export async function authenticate(request: Request): Promise<Authed> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) {
    return {
      ok: false,
      response: apiError(401, "unauthorized", "missing header Authorization: Bearer <api key>", {
        headers: { "www-authenticate": 'Bearer realm="runtrail"' },
      }),
    };
  }
  const key = match[1];
  const now = Date.now();
  let hit = cache.get(key);
  if (!hit || hit.until < now) {
    try {
      hit = { key: await findApiKey(await getDb(), key), until: now + TTL_MS };
    } catch (err) {
      return { ok: false, response: storeError(err) };
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, hit);
  }
  if (!hit.key) {
    return {
      ok: false,
      response: apiError(401, "unauthorized", "invalid or revoked API key", {
        headers: { "www-authenticate": 'Bearer realm="runtrail", error="invalid_token"' },
      }),
    };
  }
  // 429 + Retry-After once the key spent its budget (lib/api/rate-limit.ts).
  const limited = rateLimit(hit.key.id);
  if (limited) return { ok: false, response: limited };
  noteKeyUse(hit.key.id, now);
  return { ok: true, projectId: hit.key.projectId, keyId: hit.key.id };
}

/** Moves the key's last_used_at in the background, at most once a minute per process. */
function noteKeyUse(keyId: string, now: number): void {
  if ((touched.get(keyId) ?? 0) > now - TOUCH_MS) return;
  if (touched.size > 10_000) touched.clear();
  touched.set(keyId, now);
  void getDb()
    .then((db) => touchApiKey(db, keyId, TOUCH_MS))
    .catch(() => touched.delete(keyId));
}
