import { checkPassword, cleanEmail, createSession, createUser, USER_ROLES } from "@runtrail/db";
import { z } from "zod";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { apiError, json } from "@/lib/api/responses";
import { noteUsersExist } from "@/lib/auth/mode";
import { guardRoute } from "@/lib/auth/route-guard";
import { sessionResponse } from "@/lib/auth/sign-in";
import { SESSION_TIMES } from "@/lib/auth/viewer";
import { getDb } from "@/lib/store";

const Body = z.object({
  email: z.string("must be a string"),
  password: z.string("must be a string"),
  role: z.enum(USER_ROLES, `must be one of ${USER_ROLES.join(", ")}`),
  projectIds: z.array(z.string()).max(1000).optional(),
});

/**
 * POST /manage/users { email, password, role, projectIds? } → 201 { user } (admins).
 * On the open dashboard (no users yet) this makes the first admin, turns the login on
 * and signs this browser in as that admin.
 */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true, admin: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  const { viewer } = guard;
  const first = viewer.mode === "open";
  if (first && body.value.role !== "admin") return apiError(400, "invalid_params", "role: the first user must be an admin", { field: "role" });
  const unknown = (body.value.projectIds ?? []).find((id) => !viewer.projects.some((p) => p.id === id));
  if (unknown !== undefined) return apiError(400, "invalid_params", `projectIds: no project ${JSON.stringify(unknown)}`, { field: "projectIds" });
  try {
    const db = await getDb();
    const user = await createUser(db, {
      email: cleanEmail(body.value.email),
      password: checkPassword(body.value.password),
      role: body.value.role,
      projectIds: body.value.role === "member" ? body.value.projectIds : [],
    });
    if (!first) return json({ user }, 201);
    noteUsersExist();
    const session = await createSession(db, user.id, SESSION_TIMES);
    const res = sessionResponse(request, session.token, { user });
    return new Response(res.body, { status: 201, headers: res.headers });
  } catch (err) {
    return accessError(err);
  }
}
