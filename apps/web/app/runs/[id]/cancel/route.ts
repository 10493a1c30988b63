import { DEFAULT_PROJECT_ID } from "@runtrail/db";
import { cancelRunResponse } from "@/lib/api/cancel-run";
import { apiError } from "@/lib/api/responses";
import { isSameOrigin } from "@/lib/same-origin";

/**
 * POST /runs/:id/cancel { reason? } → { run }: the run page's Cancel button, for the
 * dashboard's (default) project. Same answers as `/api/v1/runs/:id/cancel`.
 * No login yet: issue 5 puts this behind the session.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  if (!isSameOrigin(request)) return apiError(403, "cross_site", "cancel: only the dashboard's own pages may cancel a run");
  const { id } = await ctx.params;
  return cancelRunResponse(request, DEFAULT_PROJECT_ID, id);
}
