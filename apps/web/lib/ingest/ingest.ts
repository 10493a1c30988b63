import { type IngestEvent, writeEvents } from "@runtrail/db";
import type { Db } from "@runtrail/db";
import type { EventParser } from "./events";
import { needsSanitizing } from "./sanitize";

export interface EventResult {
  index: number;
  id: string | null;
  status: "accepted" | "duplicate" | "conflict" | "rejected";
  error?: string;
}

export interface IngestSummary {
  results: EventResult[];
  accepted: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
  /** Runs of this batch that were cancelled: the process that sent it should stop them. */
  cancelledRuns: { runId: string; reason: string | null }[];
}

export type ParsedBatch =
  /** `dirty`: the body holds NUL or surrogate escapes, so events' texts need cleaning. */
  | { ok: true; batch: unknown[]; dirty: boolean }
  | { ok: false; field: string; message: string; status: 400 | 413 };

/** Checks the envelope `{ "batch": Event[] }`; per-event checks come later. */
export function parseEnvelope(text: string, maxEvents: number): ParsedBatch {
  let body: unknown;
  try {
    // V8's JSON.parse is iterative: any nesting parses; depth is checked per event.
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, status: 400, field: "body", message: `not valid JSON (${(err as Error).message})` };
  }
  if (body === null || typeof body !== "object" || !("batch" in body)) {
    return { ok: false, status: 400, field: "batch", message: 'required: send { "batch": [ ...events ] }' };
  }
  const { batch } = body as { batch: unknown };
  if (!Array.isArray(batch)) return { ok: false, status: 400, field: "batch", message: "must be an array of events" };
  if (batch.length > maxEvents) {
    return { ok: false, status: 413, field: "batch", message: `${batch.length} events, limit ${maxEvents}; send smaller batches` };
  }
  return { ok: true, batch, dirty: needsSanitizing(text) };
}

/** Validates each event, stores the valid ones in one transaction, and reports per event. */
export async function ingestBatch(
  db: Db,
  projectId: string,
  { batch, dirty }: { batch: unknown[]; dirty: boolean },
  parseEvent: EventParser,
): Promise<IngestSummary> {
  const results: EventResult[] = new Array(batch.length);
  const valid: IngestEvent[] = [];
  const validIndex: number[] = [];
  for (const [index, raw] of batch.entries()) {
    const parsed = parseEvent(raw, index, dirty);
    if (parsed.ok) {
      valid.push(parsed.event);
      validIndex.push(index);
    } else {
      results[index] = { index, id: parsed.id, status: "rejected", error: parsed.error };
    }
  }
  const { statuses, cancelledRuns } = await writeEvents(db, projectId, valid);
  for (const [i, status] of statuses.entries()) {
    const index = validIndex[i] ?? 0;
    const event = valid[i];
    results[index] =
      status === "conflict"
        ? { index, id: event?.id ?? null, status, error: `batch[${index}]: not applied, the ${event?.taskId ? "task" : "run"} already ended (an earlier terminal event wins)` }
        : { index, id: event?.id ?? null, status };
  }
  const count = (s: EventResult["status"]) => results.filter((r) => r.status === s).length;
  return {
    results,
    accepted: count("accepted"),
    duplicates: count("duplicate"),
    conflicts: count("conflict"),
    rejected: count("rejected"),
    cancelledRuns,
  };
}
