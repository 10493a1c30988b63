import { getTask } from "@runtrail/db";
import { apiError, json, storeError } from "@/lib/api/responses";
import { currentProject, guardRoute } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/tasks/:taskId → { task }: one task with its input, output and error
 * stack, which the run page leaves out of its timeline and fetches when a task is
 * selected. The viewer's current project; 401 when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string; taskId: string }> }): Promise<Response> {
  const guard = await guardRoute(request, { mutation: false });
  if (!guard.ok) return guard.response;
  const { id, taskId } = await ctx.params;
  const project = currentProject(guard.viewer, `task ${taskId} of run ${id}`);
  if (!project.ok) return project.response;
  try {
    const task = await getTask(await getDb(), project.project.id, id, taskId);
    if (!task) return apiError(404, "not_found", `task ${taskId} of run ${id}: not found`);
    return json({ task });
  } catch (err) {
    return storeError(err);
  }
}
