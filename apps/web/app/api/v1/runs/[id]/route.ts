import { getRun } from "@runtrail/db";
import { authenticate } from "@/lib/api/auth";
import { apiError, json, storeUnavailable } from "@/lib/api/responses";
import { getDb } from "@/lib/store";

/** GET /api/v1/runs/:id → { run, tasks } with tasks in timeline order. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  try {
    const found = await getRun(await getDb(), auth.projectId, id);
    if (!found) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(found);
  } catch (err) {
    return storeUnavailable(err);
  }
}
