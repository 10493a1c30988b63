/**
 * One span as the OTLP route reads it from either encoding: ids in lower-case hex,
 * times as nanoseconds since the epoch (bigint: OTLP's fixed64 does not fit a double
 * exactly), attribute values already turned into JSON (see any-value.ts).
 */
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  /** null for a trace's root span. */
  parentSpanId: string | null;
  /** The span's parent lives in another process (OTLP flags bits 8 and 9, when the exporter sets them). */
  parentIsRemote: boolean;
  name: string;
  /** SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startNs: bigint;
  /** 0n when the exporter sent no end (a span still open). */
  endNs: bigint;
  attributes: Record<string, unknown>;
  events: OtlpSpanEvent[];
  /** StatusCode: 0 unset, 1 ok, 2 error. */
  statusCode: number;
  statusMessage: string;
  traceState: string;
  links: number;
  dropped: { attributes: number; events: number; links: number };
}

export interface OtlpSpanEvent {
  timeNs: bigint;
  name: string;
  attributes: Record<string, unknown>;
}

/** What a span shares with the others of its ResourceSpans and ScopeSpans. */
export interface OtlpContext {
  resource: Record<string, unknown>;
  scopeName: string;
  scopeVersion: string;
}

/** A span read from a request, or why it could not be (it is rejected, its neighbours go on). */
export type ReadSpan =
  /** `path`: where the span sits in the request, for messages (`resourceSpans[0].scopeSpans[1].spans[4]`). */
  | { ok: true; path: string; span: OtlpSpan; context: OtlpContext }
  | { ok: false; path: string; error: string };

export interface ReadRequest {
  spans: ReadSpan[];
}

/** Span kinds by their OTLP number, as the task attributes show them. */
export const SPAN_KINDS = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;

/** Lower-case hex of 16 (trace) or 8 (span) bytes. */
export const TRACE_ID_HEX = /^[0-9a-f]{32}$/;
export const SPAN_ID_HEX = /^[0-9a-f]{16}$/;

/** The tag every run made from OTLP spans carries (the dashboard's marker; `?tag=otlp` lists them). */
export const OTLP_TAG = "otlp";
