import { getRunOnly } from "@runtrail/db";
import { badPathId } from "@/lib/api/request-fields";
import { apiError, storeError } from "@/lib/api/responses";
import { getDb } from "@/lib/store";
import { runStream } from "./run-stream";

/** `Last-Event-ID` (a reconnect) wins over `?since=`; NaN when neither is a version. */
export function parseSince(request: Request): { ok: true; since: number } | { ok: false; response: Response } {
  const raw = request.headers.get("last-event-id") ?? new URL(request.url).searchParams.get("since") ?? "0";
  const since = /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isSafeInteger(since)) return { ok: true, since };
  return {
    ok: false,
    response: apiError(400, "invalid_params", `since: must be a run version (an integer >= 0), got ${JSON.stringify(raw)}`, { field: "since" }),
  };
}

/**
 * The whole answer of a run stream route once the caller is known: 400 bad `since`,
 * 404 unknown run, else `text/event-stream` of the run's changes (see run-stream.ts).
 */
export async function runStreamResponse(
  request: Request,
  projectId: string,
  runId: string,
  stillAllowed: () => Promise<boolean>,
): Promise<Response> {
  const badId = badPathId(runId, "id");
  if (badId) return badId;
  const since = parseSince(request);
  if (!since.ok) return since.response;
  try {
    const db = await getDb();
    if (!(await getRunOnly(db, projectId, runId))) return apiError(404, "not_found", `run ${JSON.stringify(runId)} not found`);
    return new Response(runStream(db, projectId, runId, since.since, request.signal, stillAllowed), {
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
