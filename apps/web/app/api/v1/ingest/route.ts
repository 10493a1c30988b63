import { noteWrites } from "@/lib/analyze";
import { authenticate } from "@/lib/api/auth";
import { readBody } from "@/lib/api/body";
import { apiError, json, storeError } from "@/lib/api/responses";
import { env } from "@/lib/env";
import { eventParser } from "@/lib/ingest/events";
import { ingestBatch, parseEnvelope } from "@/lib/ingest/ingest";
import { notifyRuns } from "@/lib/live/hub";
import { getDb } from "@/lib/store";

const parseEvent = eventParser(env.limits);

/**
 * POST /api/v1/ingest — body { batch: Event[] }; 200 when all stored, 207 with
 * per-event results otherwise. `?results=errors` lists only the events that were
 * not stored (rejected) or not applied (conflict): the SDK's choice, so a clean
 * batch of 200 events answers in a hundred bytes.
 */
export async function POST(request: Request): Promise<Response> {
  const auth = await authenticate(request);
  if (!auth.ok) return auth.response;
  const mode = new URL(request.url).searchParams.get("results") ?? "all";
  if (mode !== "all" && mode !== "errors") {
    return apiError(400, "invalid_params", `results: must be all or errors, got ${JSON.stringify(mode)}`, { field: "results" });
  }

  const body = await readBody(request, env.maxBodyBytes);
  if (!body.ok) return body.response;
  const envelope = parseEnvelope(body.text, env.maxBatchEvents);
  if (!envelope.ok) {
    const code = envelope.status === 413 ? "payload_too_large" : "invalid_body";
    return apiError(envelope.status, code, `${envelope.field}: ${envelope.message}`, { field: envelope.field });
  }
  try {
    const summary = await ingestBatch(await getDb(), auth.projectId, envelope, parseEvent);
    noteWrites(summary.accepted);
    notifyRuns(auth.projectId, new Set(summary.results.flatMap((r, i) => (r.status === "accepted" ? [runIdOf(envelope.batch[i])] : []))));
    const clean = summary.rejected === 0 && summary.conflicts === 0;
    const results = mode === "errors" ? summary.results.filter((r) => r.status === "rejected" || r.status === "conflict") : summary.results;
    // no-transform: a clean answer is a hundred bytes, and compressing each one cost more than sending it.
    return json({ ...summary, results }, clean ? 200 : 207, { "cache-control": "no-store, no-transform" });
  } catch (err) {
    return storeError(err);
  }
}

function runIdOf(raw: unknown): string {
  return String((raw as { runId?: unknown }).runId);
}
