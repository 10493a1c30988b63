import { InvalidCursorError, listRuns } from "@runtrail/db";
import { authenticate } from "@/lib/api/auth";
import { apiError, json, storeError } from "@/lib/api/responses";
import { parseRunFilter } from "@/lib/api/run-filter";
import { getDb } from "@/lib/store";

/** GET /api/v1/runs?status=&name=&q=&tag=&from=&to=&limit=&cursor=|before= → { data, nextCursor, prevCursor } */
export async function GET(request: Request): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const parsed = parseRunFilter(new URL(request.url).searchParams);
  if (!parsed.ok) return apiError(400, "invalid_params", `${parsed.field}: ${parsed.message}`, { field: parsed.field });
  try {
    return json(await listRuns(await getDb(), auth.projectId, parsed.filter));
  } catch (err) {
    if (err instanceof InvalidCursorError) return apiError(400, "invalid_params", err.message, { field: err.field });
    return storeError(err);
  }
}
