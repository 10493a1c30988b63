import { getRunOnly } from "@runtrail/db";
import { authenticate } from "@/lib/api/auth";
import { apiError, storeError } from "@/lib/api/responses";
import { runStream } from "@/lib/live/run-stream";
import { getDb } from "@/lib/store";

/**
 * GET /api/v1/runs/:id/stream[?since=<version>] → text/event-stream of the run's
 * changes (see docs/api.md); `Last-Event-ID` resumes after a reconnect.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since") ?? "0";
  const since = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(since)) {
    return apiError(400, "invalid_params", `since: must be a run version (an integer >= 0), got ${JSON.stringify(raw)}`, { field: "since" });
  }
  try {
    const db = await getDb();
    if (!(await getRunOnly(db, auth.projectId, id))) return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
    const stillAllowed = async () => {
      const again = await authenticate(request);
      return again.ok && again.projectId === auth.projectId;
    };
    return new Response(runStream(db, auth.projectId, id, since, request.signal, stillAllowed), {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-store, no-transform",
        connection: "keep-alive",
        "x-accel-buffering": "no",
      },
    });
  } catch (err) {
    return storeError(err);
  }
}
