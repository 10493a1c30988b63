import { getRun, getRunOnly } from "@runtrail/db";
import { authenticate } from "@/lib/api/auth";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, json, storeError } from "@/lib/api/responses";
import { getDb } from "@/lib/store";

/** GET /api/v1/runs/:id → { run, tasks } with tasks in timeline order; `?tasks=false` → { run }. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  const withTasks = new URL(request.url).searchParams.get("tasks") ?? "true";
  if (withTasks !== "true" && withTasks !== "false") {
    return apiError(400, "invalid_params", `tasks: must be true or false, got ${JSON.stringify(withTasks)}`, { field: "tasks" });
  }
  try {
    const db = await getDb();
    const found = withTasks === "true" ? await getRun(db, auth.projectId, id) : await getRunOnly(db, auth.projectId, id).then((run) => run && { run });
    if (!found) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(found);
  } catch (err) {
    return storeError(err);
  }
}
