import { runRouteProject } from "@/lib/auth/route-guard";
import { exportRunResponse } from "@/lib/export/export-response";
import { getDb } from "@/lib/store";

/**
 * GET /runs/:id/export?format=csv|json → the run page's download: the same export as the
 * API's (lib/export), for the viewer's current project; 401 when signed out.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const access = await runRouteProject(request, { id });
  if (!access.ok) return access.response;
  return exportRunResponse(getDb, access.projectId, id, new URL(request.url).searchParams);
}
