import { endRun } from "@runtrail/db";
import { notifyRuns } from "@/lib/live/hub";
import { getDb } from "@/lib/store";
import { readBody } from "./body";
import { parseCancelReason } from "./cancel-reason";
import { badPathId } from "./request-fields";
import { apiError, json, storeError } from "./responses";

/**
 * Cancels a run of `projectId` from a request with the optional body `{ reason? }`:
 * 200 { run }, 400 bad body, 404 unknown run, 409 run already finished. Shared by
 * the API route (API key) and the dashboard's (default project, for now).
 */
export async function cancelRunResponse(request: Request, projectId: string, id: string): Promise<Response> {
  const badId = badPathId(id, "id");
  if (badId) return badId;
  const body = await readBody(request, 64 * 1024);
  if (!body.ok) return body.response;
  const parsed = parseCancelReason(body.text);
  if (!parsed.ok) return apiError(400, "invalid_params", `${parsed.field}: ${parsed.message}`, { field: parsed.field });
  try {
    const result = await endRun(await getDb(), projectId, id, { kind: "cancel", reason: parsed.reason });
    if (result.ok) {
      notifyRuns(projectId, [id]);
      return json({ run: result.run });
    }
    if (result.reason === "already_finished") {
      return apiError(409, "already_finished", `run ${JSON.stringify(id)} is already ${result.status}; only a running run can be cancelled`, {
        details: { status: result.status },
      });
    }
    return apiError(404, "not_found", `run ${JSON.stringify(id)} not found`);
  } catch (err) {
    return storeError(err);
  }
}
