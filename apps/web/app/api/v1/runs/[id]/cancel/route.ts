import { endRun } from "@runtrail/db";
import { authenticate } from "@/lib/api/auth";
import { readBody } from "@/lib/api/body";
import { apiError, json, storeError } from "@/lib/api/responses";
import { notifyRuns } from "@/lib/live/hub";
import { getDb } from "@/lib/store";

const MAX_REASON = 2000;

/** Parses the optional body `{ reason?: string }`; an empty body is fine. */
function parseReason(text: string): { ok: true; reason: string | undefined } | { ok: false; field: string; message: string } {
  if (text.trim() === "") return { ok: true, reason: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, field: "body", message: `not valid JSON (${(err as Error).message})` };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { ok: false, field: "body", message: "must be a JSON object" };
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined || reason === null) return { ok: true, reason: undefined };
  if (typeof reason !== "string") return { ok: false, field: "reason", message: "must be a string" };
  if (reason.length > MAX_REASON) return { ok: false, field: "reason", message: `longer than ${MAX_REASON} characters` };
  return { ok: true, reason: reason.trim() === "" ? undefined : reason };
}

/**
 * POST /api/v1/runs/:id/cancel { reason? } → { run }: the run and its running tasks
 * become `cancelled`; the instrumented process learns it from its next ingest answer.
 * 404 unknown run, 409 run already finished.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const { id } = await ctx.params;
  const body = await readBody(request, 64 * 1024);
  if (!body.ok) return body.response;
  const parsed = parseReason(body.text);
  if (!parsed.ok) return apiError(400, "invalid_params", `${parsed.field}: ${parsed.message}`, { field: parsed.field });
  try {
    const result = await endRun(await getDb(), auth.projectId, id, { kind: "cancel", reason: parsed.reason });
    if (result.ok) {
      notifyRuns(auth.projectId, [id]);
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
