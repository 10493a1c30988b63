import { getTask, getTaskAttributes } from "@runtrail/db";
import { apiError, json, storeError } from "@/lib/api/responses";
import { runRouteProject } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/tasks/:taskId → { task, attributes }: one task with its input, output
 * and error stack, which the run page leaves out of its timeline and fetches when a task
 * is selected, and its span attributes (tasks that came over OTLP; null otherwise). The
 * viewer's current project; 401 when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string; taskId: string }> }): Promise<Response> {
  const { id, taskId } = await ctx.params;
  const access = await runRouteProject(request, { id, taskId });
  if (!access.ok) return access.response;
  try {
    const db = await getDb();
    const [task, attributes] = await Promise.all([getTask(db, access.projectId, id, taskId), getTaskAttributes(db, access.projectId, id, taskId)]);
    if (!task) return apiError(404, "not_found", `task ${JSON.stringify(taskId)} of run ${JSON.stringify(id)}: not found`);
    return json({ task, attributes });
  } catch (err) {
    return storeError(err);
  }
}
