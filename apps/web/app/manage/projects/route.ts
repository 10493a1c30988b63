import { cleanName, createProject } from "@runtrail/db";
import { z } from "zod";
import { json } from "@/lib/api/responses";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z.object({ name: z.string("must be a string") });

/** POST /manage/projects { name } → 201 { project } (admins). 409 when the name is taken. */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true, admin: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  try {
    return json({ project: await createProject(await getDb(), cleanName(body.value.name)) }, 201);
  } catch (err) {
    return accessError(err);
  }
}
