import { getRunOnly, InvalidCursorError, listLogs } from "@runtrail/db";
import { z } from "zod";
import { authenticate } from "@/lib/api/auth";
import { badPathId, queryCursor, queryId, queryLimit, readQuery } from "@/lib/api/request-fields";
import { apiError, json, storeError } from "@/lib/api/responses";
import { getDb } from "@/lib/store";

const query = z.object({
  taskId: queryId.optional(),
  limit: queryLimit(1000).optional(),
  cursor: queryCursor.optional(),
});

/** GET /api/v1/runs/:id/logs?taskId=&limit=&cursor= → { data, nextCursor }, in timeline order. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  const parsed = readQuery(request, query);
  if (!parsed.ok) return parsed.response;
  try {
    const db = await getDb();
    if (!(await getRunOnly(db, auth.projectId, id))) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(await listLogs(db, auth.projectId, id, parsed.value));
  } catch (err) {
    if (err instanceof InvalidCursorError) return apiError(400, "invalid_params", err.message, { field: "cursor" });
    return storeError(err);
  }
}
