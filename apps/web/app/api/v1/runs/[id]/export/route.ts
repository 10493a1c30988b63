import { authenticate } from "@/lib/api/auth";
import { badPathId } from "@/lib/api/request-fields";
import { exportRunResponse } from "@/lib/export/export-response";
import { getDb } from "@/lib/store";

/**
 * GET /api/v1/runs/:id/export?format=csv|json → the run's tasks in timeline order, streamed
 * as an attachment: CSV (one row a task) or JSON (`{ run, tasks }`); see docs/api.md.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const badId = badPathId(id, "id");
  if (badId) return badId;
  return exportRunResponse(getDb, auth.projectId, id, new URL(request.url).searchParams);
}
