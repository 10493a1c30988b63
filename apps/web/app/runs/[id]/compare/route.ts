import { DEFAULT_PROJECT_ID, getRunComparison } from "@runtrail/db";
import { apiError, json, storeError } from "@/lib/api/responses";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/compare → RunComparison: the run beside the most recent completed run
 * of the same name that started before it, task name by task name (worst first). The
 * run page asks for it when its Compare view opens. The dashboard's (default)
 * project; no login yet (issue 5).
 */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  try {
    const comparison = await getRunComparison(await getDb(), DEFAULT_PROJECT_ID, id);
    if (!comparison) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(comparison);
  } catch (err) {
    return storeError(err);
  }
}
