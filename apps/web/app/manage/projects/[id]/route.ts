import { cleanName, renameProject } from "@runtrail/db";
import { z } from "zod";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { badPathId } from "@/lib/api/request-fields";
import { json } from "@/lib/api/responses";
import { guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z.object({ name: z.string("must be a string") });

/** PATCH /manage/projects/:id { name } → { project } (admins). */
export async function PATCH(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true, admin: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  try {
    return json({ project: await renameProject(await getDb(), id, cleanName(body.value.name)) });
  } catch (err) {
    return accessError(err);
  }
}
