import { cleanName, createApiKey, TooManyKeysError } from "@runtrail/db";
import { z } from "zod";
import { accessError, readJsonBody } from "@/lib/api/json-body";
import { keyCreationLimit } from "@/lib/api/rate-limit";
import { apiError, json } from "@/lib/api/responses";
import { env } from "@/lib/env";
import { allowedProject, guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const Body = z.object({ projectId: z.string("must be a string"), name: z.string("must be a string") });

/**
 * POST /manage/keys { projectId, name } → 201 { key, apiKey }: a new key of a project the
 * viewer can see. `key` is the whole secret, in this answer only. 409 `too_many_keys` when the
 * project has RUNTRAIL_MAX_KEYS_PER_PROJECT active keys already; 429 past 60 keys an hour.
 */
export async function POST(request: Request): Promise<Response> {
  const guard = await guardRoute(request, { mutation: true });
  if (!guard.ok) return guard.response;
  const body = await readJsonBody(request, Body);
  if (!body.ok) return body.response;
  const project = allowedProject(guard.viewer, body.value.projectId);
  if (!project) return apiError(404, "not_found", `projectId: no project ${JSON.stringify(body.value.projectId)} that you can see`, { field: "projectId" });
  try {
    const name = cleanName(body.value.name);
    const limited = await keyCreationLimit(project.id);
    if (limited) return limited;
    const { key, view } = await createApiKey(await getDb(), project.id, name, guard.viewer.user?.id ?? null, { maxActive: env.maxKeysPerProject });
    return json({ key, apiKey: view }, 201);
  } catch (err) {
    if (err instanceof TooManyKeysError) {
      const message = `${project.name} already has ${err.limit} active key${err.limit === 1 ? "" : "s"}, the most a project may have: revoke one it no longer uses first`;
      return apiError(409, "too_many_keys", message, { details: { limit: err.limit } });
    }
    return accessError(err);
  }
}
