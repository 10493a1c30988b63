import { authenticate } from "@/lib/api/auth";
import { parsePayloads, runStreamResponse } from "@/lib/live/stream-response";

/**
 * GET /api/v1/runs/:id/stream[?since=<version>][&payloads=false] → text/event-stream of
 * the run's changes (see docs/api.md); `Last-Event-ID` resumes after a reconnect.
 * `payloads=false`: task and run summaries, without inputs, outputs and error stacks.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const payloads = parsePayloads(request);
  if (!payloads.ok) return payloads.response;
  const stillAllowed = async () => {
    const again = await authenticate(request);
    // Out of its request budget is not revoked: the open stream goes on.
    if (!again.ok) return again.response.status === 429;
    return again.projectId === auth.projectId;
  };
  return runStreamResponse(request, auth.projectId, id, stillAllowed, payloads.payloads);
}
