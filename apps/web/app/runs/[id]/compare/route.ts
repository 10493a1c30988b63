import { getRunComparison } from "@runtrail/db";
import { apiError, json, storeError } from "@/lib/api/responses";
import { runRouteProject } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/compare → RunComparison: the run beside the most recent completed run
 * of the same name that started before it, task name by task name (worst first). The
 * run page asks for it when its Compare view opens. The viewer's current project; 401
 * when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const access = await runRouteProject(request, { id });
  if (!access.ok) return access.response;
  try {
    const comparison = await getRunComparison(await getDb(), access.projectId, id);
    if (!comparison) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(comparison);
  } catch (err) {
    return storeError(err);
  }
}
