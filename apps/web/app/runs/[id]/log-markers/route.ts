import { getRunOnly, LOG_MARKER_CAP, listLogMarkers } from "@runtrail/db";
import { z } from "zod";
import { queryLimit, readQuery } from "@/lib/api/request-fields";
import { apiError, json, storeError } from "@/lib/api/responses";
import { runRouteProject } from "@/lib/auth/route-guard";
import { getDb } from "@/lib/store";

const query = z.object({
  limit: queryLimit(LOG_MARKER_CAP).optional(),
});

/**
 * GET /runs/:id/log-markers?limit= → { markers, truncated }: the run's first log lines
 * (default and at most LOG_MARKER_CAP) in the compact form the timeline draws as
 * markers, fetched after the page has painted. The viewer's current project; 401
 * when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const access = await runRouteProject(request, { id });
  if (!access.ok) return access.response;
  const parsed = readQuery(request, query);
  if (!parsed.ok) return parsed.response;
  try {
    const db = await getDb();
    if (!(await getRunOnly(db, access.projectId, id))) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    return json(await listLogMarkers(db, access.projectId, id, parsed.value.limit));
  } catch (err) {
    return storeError(err);
  }
}
