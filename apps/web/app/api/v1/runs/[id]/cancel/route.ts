import { authenticate } from "@/lib/api/auth";
import { cancelRunResponse } from "@/lib/api/cancel-run";

/**
 * POST /api/v1/runs/:id/cancel { reason? } → { run }: the run and its running tasks
 * become `cancelled`; the instrumented process learns it from its next ingest answer.
 * 404 unknown run, 409 run already finished.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  return cancelRunResponse(request, auth.projectId, id);
}
