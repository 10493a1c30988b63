import { findProjectByApiKey } from "@runtrail/db";
import { getDb } from "../store";
import { rateLimit } from "./rate-limit";
import { apiError, storeError } from "./responses";

// Hot path: ingest checks the key on every batch. A short TTL bounds how long a
// revoked key keeps working in this process.
const TTL_MS = 5_000;
const cache = new Map<string, { projectId: string | null; until: number }>();

export type Authed = { ok: true; projectId: string } | { ok: false; response: Response };

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
      hit = { projectId: await findProjectByApiKey(await getDb(), key), until: now + TTL_MS };
    } catch (err) {
      return { ok: false, response: storeError(err) };
    }
    if (cache.size > 1000) cache.clear();
    cache.set(key, hit);
  }
  if (!hit.projectId) {
    return {
      ok: false,
      response: apiError(401, "unauthorized", "invalid or revoked API key", {
        headers: { "www-authenticate": 'Bearer realm="runtrail", error="invalid_token"' },
      }),
    };
  }
  // 429 + Retry-After once the key spent its budget (lib/api/rate-limit.ts).
  const limited = rateLimit(key);
  if (limited) return { ok: false, response: limited };
  return { ok: true, projectId: hit.projectId };
}
