import { noteWrites } from "@/lib/analyze";
import { authenticate } from "@/lib/api/auth";
import { storeError } from "@/lib/api/responses";
import { env } from "@/lib/env";
import { notifyRuns } from "@/lib/live/hub";
import { Notes } from "@/lib/otlp/any-value";
import { decodeRequest } from "@/lib/otlp/decode-request";
import { exportTraces } from "@/lib/otlp/export-traces";
import { ProtobufDecodeError } from "@/lib/otlp/protobuf";
import { readRequest, RequestShapeError } from "@/lib/otlp/read-spans";
import { encodingOf, readOtlpBody } from "@/lib/otlp/request-body";
import { asOtlpError, exportResponse, otlpError } from "@/lib/otlp/responses";
import { getDb } from "@/lib/store";

/** Values over this (JSON characters) become the SDK's `$truncated` marker: the SDK's own default. */
const MAX_VALUE_CHARS = 256 * 1024;
const limits = {
  ...env.limits,
  maxValueChars: MAX_VALUE_CHARS,
  // Room for the wrapping a value gets on its way into input, output or attributes.
  maxDepth: env.limits.jsonDepth - 4,
};

/**
 * POST /api/otlp/v1/traces — OTLP/HTTP trace export (protobuf or JSON, optionally
 * gzipped), so `OTEL_EXPORTER_OTLP_ENDPOINT=<server>/api/otlp` works. A trace becomes a
 * run and each span a task (lib/otlp/span-events.ts). 200 with an
 * ExportTraceServiceResponse whose partialSuccess counts and explains rejected spans
 * (and warns, with 0 rejected, about values it cut); a malformed body 400, too large
 * 413, an unsupported type or encoding 415, 401 a bad key, 429 rate limited.
 */
export async function POST(request: Request): Promise<Response> {
  const encoding = encodingOf(request);
  const answerIn = encoding ?? "json";
  const auth = await authenticate(request);
  if (!auth.ok) return asOtlpError(answerIn, auth.response);
  if (!encoding) {
    const type = request.headers.get("content-type") ?? "none";
    return otlpError("json", 415, `Content-Type: ${type} is not supported; send application/x-protobuf or application/json`);
  }
  const body = await readOtlpBody(request, env.otlpMaxBodyBytes);
  if (!body.ok) return otlpError(encoding, body.status, body.message);

  const notes = new Notes();
  let read: ReturnType<typeof readRequest>;
  try {
    read = readRequest(decodeRequest(body.bytes, encoding), encoding, limits, notes);
  } catch (err) {
    if (err instanceof RequestShapeError || err instanceof ProtobufDecodeError) return otlpError(encoding, 400, err.message);
    throw err;
  }
  try {
    const result = await exportTraces(await getDb(), auth.projectId, read, limits, notes);
    noteWrites(result.acceptedEvents);
    notifyRuns(auth.projectId, result.runIds);
    const said = [...result.errors, ...(result.notes.length > 0 ? [`accepted with values cut: ${result.notes.join("; ")}`] : [])];
    return exportResponse(encoding, said.length > 0 ? { rejectedSpans: result.rejectedSpans, errorMessage: said.join("; ") } : null);
  } catch (err) {
    return asOtlpError(encoding, storeError(err));
  }
}
