import protobuf from "protobufjs/light.js";
import { otlpDescriptor } from "@/lib/otlp/otlp-descriptor.generated";

/** OTLP/HTTP by hand, for requests the SDK would never make (and to read answers). */

const root = protobuf.Root.fromJSON(otlpDescriptor);
const TraceRequest = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
const TraceResponse = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
const RpcStatus = root.lookupType("google.rpc.Status");

export interface OtlpReply {
  status: number;
  headers: Headers;
  bytes: Buffer;
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  json: any;
  /** A protobuf answer's partialSuccess, int64 as a number. */
  partial: { rejectedSpans: number; errorMessage: string } | null;
}

export async function postOtlp(
  baseUrl: string,
  apiKey: string | null,
  encoding: "protobuf" | "json",
  body: Uint8Array | object | undefined,
  headers: Record<string, string> = {},
): Promise<OtlpReply> {
  if (body === undefined) throw new Error("nothing to send (the serializer gave no body)");
  const payload = body instanceof Uint8Array ? Buffer.from(body) : Buffer.from(JSON.stringify(body));
  const res = await fetch(`${baseUrl}/api/otlp/v1/traces`, {
    method: "POST",
    headers: {
      "content-type": encoding === "protobuf" ? "application/x-protobuf" : "application/json",
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...headers,
    },
    body: payload,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  let json: unknown = null;
  let partial: OtlpReply["partial"] = null;
  if (type.startsWith("application/json")) json = JSON.parse(bytes.toString("utf8"));
  if (type === "application/x-protobuf" && res.status === 200) {
    const decoded = TraceResponse.toObject(TraceResponse.decode(bytes), { longs: Number }) as { partialSuccess?: { rejectedSpans?: number; errorMessage?: string } };
    if (decoded.partialSuccess) partial = { rejectedSpans: decoded.partialSuccess.rejectedSpans ?? 0, errorMessage: decoded.partialSuccess.errorMessage ?? "" };
  }
  return { status: res.status, headers: res.headers, bytes, json, partial };
}

export function decodeStatus(bytes: Uint8Array): { code: number; message: string } {
  return RpcStatus.toObject(RpcStatus.decode(bytes)) as { code: number; message: string };
}

/** One ScopeSpans of protobuf spans given as plain objects (ids as Buffers of any length). */
export function encodeRequest(spans: Record<string, unknown>[]): Uint8Array {
  return TraceRequest.encode(TraceRequest.fromObject({ resourceSpans: [{ scopeSpans: [{ spans }] }] })).finish();
}

/** An OTLP/JSON span. */
export function jsonSpan(s: {
  traceId: string;
  spanId: string;
  parentSpanId?: string | undefined;
  name: string;
  start: string;
  end?: string;
  flags?: number;
  status?: { code: number; message?: string };
  attributes?: { key: string; value: Record<string, unknown> }[];
}): Record<string, unknown> {
  return {
    traceId: s.traceId,
    spanId: s.spanId,
    ...(s.parentSpanId ? { parentSpanId: s.parentSpanId } : {}),
    name: s.name,
    kind: 1,
    startTimeUnixNano: s.start,
    ...(s.end ? { endTimeUnixNano: s.end } : {}),
    ...(s.flags !== undefined ? { flags: s.flags } : {}),
    attributes: s.attributes ?? [],
    status: s.status ?? {},
  };
}
