import protobuf from "protobufjs/light.js";
import { otlpDescriptor } from "./otlp-descriptor.generated";

/**
 * The OTLP messages the route reads and writes, from the official .proto definitions
 * (vendored in ./proto, turned into a descriptor by proto/generate.mjs) through
 * protobufjs. protobufjs limits nesting to 100 levels while decoding.
 */
const root = protobuf.Root.fromJSON(otlpDescriptor);
const TraceRequest = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest");
const TraceResponse = root.lookupType("opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse");
const RpcStatus = root.lookupType("google.rpc.Status");

export class ProtobufDecodeError extends Error {}

/** An ExportTraceServiceRequest as a protobufjs message (read with read-spans.ts). */
export function decodeTraceRequest(bytes: Uint8Array): unknown {
  try {
    return TraceRequest.decode(bytes);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new ProtobufDecodeError(`body: not an OTLP ExportTraceServiceRequest in protobuf (${why})`, { cause: err });
  }
}

export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** ExportTraceServiceResponse; no partialSuccess when everything was taken without remark. */
export function encodeTraceResponse(partial: PartialSuccess | null): Uint8Array {
  return TraceResponse.encode(TraceResponse.create(partial ? { partialSuccess: partial } : {})).finish();
}

/** google.rpc.Status, the body of every OTLP/HTTP error answer. */
export function encodeStatus(code: number, message: string): Uint8Array {
  return RpcStatus.encode(RpcStatus.create({ code, message })).finish();
}
