import { deleteSession } from "@runtrail/db";
import { json, storeError } from "@/lib/api/responses";
import { clearCookie } from "@/lib/auth/cookies";
import { guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

/**
 * POST /auth/logout (x-csrf-token) → { ok }: the session is deleted on the server and its
 * cookie cleared, and `Clear-Site-Data: "cache"` asks the browser to drop what it
 * cached of this site (revalidated timelines of ended runs: private run data).
 */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  try {
    if (guard.viewer.sessionId) await deleteSession(await getDb(), guard.viewer.sessionId);
  } catch (err) {
    return storeError(err);
  }
  const res = json({ ok: true, next: guard.viewer.mode === "login" ? "/login" : "/" });
  for (const c of clearCookie("session")) res.headers.append("set-cookie", c);
  res.headers.set("clear-site-data", '"cache"');
  return res;
}
