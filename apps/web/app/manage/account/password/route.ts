import { checkPassword, getUser, setUserPassword, verifyPassword } from "@runtrail/db";
import { z } from "zod";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { apiError, json } from "@/lib/api/responses";
import { guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z.object({ currentPassword: z.string("must be a string"), newPassword: z.string("must be a string") });

/** POST /manage/account/password { currentPassword, newPassword } → { ok }: every other session of the user ends. */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const { user, sessionId } = guard.viewer;
  if (!user || !sessionId) return apiError(404, "not_found", "there is no account on the open dashboard");
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  try {
    const db = await getDb();
    const row = await getUser(db, user.id);
    if (!(await verifyPassword(body.value.currentPassword, row?.passwordHash ?? null))) {
      return apiError(403, "invalid_credentials", "currentPassword: wrong password", { field: "currentPassword" });
    }
    await setUserPassword(db, user.id, checkPassword(body.value.newPassword, "newPassword"), sessionId);
    return json({ ok: true });
  } catch (err) {
    return accessError(err);
  }
}
