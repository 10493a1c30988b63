import { DEFAULT_PROJECT_ID } from "@runtrail/db";
import { runStreamResponse } from "@/lib/live/stream-response";

/**
 * GET /runs/:id/live[?since=<version>] → the run page's live updates: the same
 * event stream as `/api/v1/runs/:id/stream`, for the dashboard's (default) project.
 * No login yet: issue 5 puts this behind the session.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return runStreamResponse(request, DEFAULT_PROJECT_ID, id, async () => true);
}
