import { DEFAULT_PROJECT_ID, getTask } from "@runtrail/db";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, json, storeError } from "@/lib/api/responses";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/tasks/:taskId → { task }: one task with its input, output and error
 * stack, which the run page leaves out of its timeline and fetches when a task is
 * selected. The dashboard's (default) project; no login yet (issue 5).
 */
export async function GET(_request: Request, ctx: { params: Promise<{ id: string; taskId: string }> }): Promise<Response> {
  const { id, taskId } = await ctx.params;
  const badId = badPathId(id, "id") ?? badPathId(taskId, "taskId");
  if (badId) return badId;
  try {
    const task = await getTask(await getDb(), DEFAULT_PROJECT_ID, id, taskId);
    if (!task) return apiError(404, "not_found", `task ${JSON.stringify(taskId)} of run ${JSON.stringify(id)}: not found`);
    return json({ task });
  } catch (err) {
    return storeError(err);
  }
}
