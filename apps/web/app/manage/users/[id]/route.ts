import { checkPassword, setUserPassword, updateUser, USER_ROLES } from "@runtrail/db";
import { z } from "zod";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, json } from "@/lib/api/responses";
import { guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z
  .object({
    role: z.enum(USER_ROLES, `must be one of ${USER_ROLES.join(", ")}`).optional(),
    disabled: z.boolean("must be true or false").optional(),
    projectIds: z.array(z.string()).max(1000).optional(),
    /** A new password set by an admin (the user's sessions end). */
    password: z.string("must be a string").optional(),
  })
  .strict();

/** PATCH /manage/users/:id { role?, disabled?, projectIds?, password? } → { user } (admins; 409 would leave no admin). */
export async function PATCH(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true, admin: true });
  if (!guard.ok) return guard.response;
  if (guard.viewer.mode === "open") return apiError(404, "not_found", "there are no users yet");
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  const { password, ...changes } = body.value;
  const unknown = (changes.projectIds ?? []).find((p) => !guard.viewer.projects.some((x) => x.id === p));
  if (unknown !== undefined) return apiError(400, "invalid_params", `projectIds: no project ${JSON.stringify(unknown)}`, { field: "projectIds" });
  try {
    const db = await getDb();
    // Checked first, set last: a change refused (409: no admin would be left) leaves the password as it was.
    const newPassword = password === undefined ? undefined : checkPassword(password);
    const user = await updateUser(db, id, changes);
    if (newPassword !== undefined) await setUserPassword(db, id, newPassword);
    return json({ user });
  } catch (err) {
    return accessError(err);
  }
}
