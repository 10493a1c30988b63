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

/** `?payloads=false` asks for summaries (what the run page draws); true, the default, for whole tasks. */
export function parsePayloads(request: Request): { ok: true; payloads: boolean } | { ok: false; response: Response } {
  const raw = new URL(request.url).searchParams.get("payloads") ?? "true";
  if (raw === "true" || raw === "false") return { ok: true, payloads: raw === "true" };
  return {
    ok: false,
    response: apiError(400, "invalid_params", `payloads: must be true or false, got ${JSON.stringify(raw)}`, { field: "payloads" }),
  };
}

/**
 * The whole answer of a run stream route once the caller is known: 400 bad `since`,
 * 404 unknown run, else `text/event-stream` of the run's changes (see run-stream.ts),
 * whole tasks when `payloads`, else summaries.
 */
export async function runStreamResponse(
  request: Request,
  projectId: string,
  runId: string,
  stillAllowed: () => Promise<boolean>,
  payloads: boolean,
): Promise<Response> {
  const badId = badPathId(runId, "id");
  if (badId) return badId;
  const since = parseSince(request);
  if (!since.ok) return since.response;
  try {
    const db = await getDb();
    if (!(await getRunOnly(db, projectId, runId))) return apiError(404, "not_found", `run ${JSON.stringify(runId)} not found`);
    const body = runStream({ db, projectId, runId, since: since.since, signal: request.signal, stillAllowed, payloads });
    return new Response(body, {
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
