import { revokeApiKey } from "@runtrail/db";
import { z } from "zod";
import { forgetApiKeys } from "@/lib/api/auth";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, json } from "@/lib/api/responses";
import { allowedProject, guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z.object({ projectId: z.string("must be a string") });

/**
 * POST /manage/keys/:id/revoke { projectId } → { apiKey }. Takes effect at once in this
 * process (its key cache is dropped); other replicas stop accepting the key within 5 s.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  const project = allowedProject(guard.viewer, body.value.projectId);
  if (!project) return apiError(404, "not_found", `projectId: no project ${JSON.stringify(body.value.projectId)} that you can see`, { field: "projectId" });
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  try {
    const apiKey = await revokeApiKey(await getDb(), project.id, id);
    forgetApiKeys();
    return json({ apiKey });
  } catch (err) {
    return accessError(err);
  }
}
