import { getRunOnly, InvalidCursorError, listLogs } from "@runtrail/db";
import { z } from "zod";
import { queryCursor, queryId, queryLimit, readQuery } from "@/lib/api/request-fields";
import { apiError, json, storeError } from "@/lib/api/responses";
import { runRouteProject } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const query = z
  .object({
    taskId: queryId.optional(),
    scope: z.enum(["run"], { message: 'must be "run" (the run\'s own lines) or absent' }).optional(),
    limit: queryLimit(1000).optional(),
    cursor: queryCursor.optional(),
  })
  .refine((q) => !(q.taskId && q.scope), { message: "taskId: cannot be combined with scope=run", path: ["taskId"] });

/**
 * GET /runs/:id/logs?taskId=|scope=run&limit=&cursor= → { data, nextCursor }: the run
 * page's log lists, in timeline order, a page at a time: one task's lines (`taskId`),
 * the run's own lines (`scope=run`), or all of them. The viewer's current project; 401
 * when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const access = await runRouteProject(request, { id });
  if (!access.ok) return access.response;
  const parsed = readQuery(request, query);
  if (!parsed.ok) return parsed.response;
  const { taskId, scope, limit, cursor } = parsed.value;
  try {
    const db = await getDb();
    const page = await listLogs(db, access.projectId, id, { taskId: scope === "run" ? null : taskId, limit: limit ?? 100, cursor });
    // Only an empty page needs to tell "no lines" from "no such run".
    if (page.data.length === 0 && !cursor && !(await getRunOnly(db, access.projectId, id))) {
      return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    }
    return json(page);
  } catch (err) {
    if (err instanceof InvalidCursorError) return apiError(400, "invalid_params", err.message, { field: "cursor" });
    return storeError(err);
  }
}
