import type { Db } from "@runtrail/db";
import { env } from "@/lib/env";
import { type EventParser, eventParser } from "@/lib/ingest/events";
import { ingestBatch } from "@/lib/ingest/ingest";
import type { Notes, ValueLimits } from "./any-value";
import type { ReadRequest } from "./model";
import { SPAN_ATTRIBUTES, spanEvents, type TextLimits, type WireEvent } from "./span-events";

/**
 * Stores the spans of one OTLP request through the ingest API's own path
 * (`ingestBatch`: per-event validation, one transaction per batch) and tells which
 * spans were rejected and why.
 */

const baseParser = eventParser(env.limits);

/** The wire validator, then the span's attributes put back on its task.start (they are bounded already). */
const parseOtlpEvent: EventParser = (raw, index, clean) => {
  const parsed = baseParser(raw, index, clean);
  const attributes = (raw as WireEvent)[SPAN_ATTRIBUTES];
  if (parsed.ok && attributes) parsed.event.payload.attributes = attributes;
  return parsed;
};

export interface ExportResult {
  rejectedSpans: number;
  /** Why spans were rejected, the first few (the count says how many). */
  errors: string[];
  /** Values cut or replaced on the way in. */
  notes: string[];
  /** Runs that gained events (for live views). */
  runIds: Set<string>;
  acceptedEvents: number;
}

interface Unit {
  traceId: string;
  label: string;
  events: WireEvent[];
  error: string | null;
}

const MAX_LISTED = 5;

/** `notes` holds what reading the request cut already; this adds what translating the spans cuts. */
export async function exportTraces(db: Db, projectId: string, read: ReadRequest, limits: TextLimits & ValueLimits, notes: Notes): Promise<ExportResult> {
  const errors: string[] = [];
  let rejectedSpans = 0;
  const units: Unit[] = [];
  for (const s of read.spans) {
    if (!s.ok) {
      rejectedSpans += 1;
      errors.push(s.error);
      continue;
    }
    const label = `${s.path} (span ${s.span.spanId})`;
    units.push({ traceId: s.span.traceId, label, events: spanEvents(s.span, s.context, limits, notes), error: null });
  }
  // A trace's spans together: fewer runs locked per transaction.
  units.sort((a, b) => (a.traceId < b.traceId ? -1 : a.traceId > b.traceId ? 1 : 0));

  const runIds = new Set<string>();
  let acceptedEvents = 0;
  let batch: WireEvent[] = [];
  let owners: Unit[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const summary = await ingestBatch(db, projectId, { batch, dirty: false }, parseOtlpEvent);
    acceptedEvents += summary.accepted;
    for (const r of summary.results) {
      const unit = owners[r.index];
      if (!unit) continue;
      if (r.status === "rejected") unit.error ??= `${unit.label}: ${String(batch[r.index]?.type)} ${(r.error ?? "rejected").replace(/^batch\[\d+\]\.?/, "")}`;
      else if (r.status === "accepted") runIds.add(unit.traceId);
    }
    batch = [];
    owners = [];
  };
  for (const unit of units) {
    // A span's events may straddle two batches: each event stands on its own.
    for (const e of unit.events) {
      batch.push(e);
      owners.push(unit);
      if (batch.length >= env.maxBatchEvents) await flush();
    }
  }
  await flush();

  for (const unit of units) {
    if (unit.error === null) continue;
    rejectedSpans += 1;
    errors.push(unit.error);
  }
  const more = (n: number, listed: number) => (n > listed ? [`and ${n - listed} more`] : []);
  return {
    rejectedSpans,
    errors: [...errors.slice(0, MAX_LISTED), ...more(errors.length, MAX_LISTED)],
    notes: notes.summary(),
    runIds,
    acceptedEvents,
  };
}
