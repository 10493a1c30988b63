import { encodeStatus, encodeTraceResponse, type PartialSuccess } from "./protobuf";

/**
 * OTLP/HTTP answers, in the encoding the request used (JSON when it could not be told):
 * 200 with an ExportTraceServiceResponse, or an error status with a google.rpc.Status
 * whose message says what was wrong and where. Retryable statuses (429, 503) carry
 * Retry-After, which the OTel exporters honour.
 */

export type OtlpEncoding = "protobuf" | "json";

/** gRPC codes for the HTTP statuses we answer (Status.code; informative only, clients go by the HTTP status). */
const GRPC_CODE: Record<number, number> = { 400: 3, 401: 16, 403: 7, 404: 5, 405: 12, 413: 8, 415: 3, 429: 8, 500: 13, 503: 14 };

const PROTOBUF = "application/x-protobuf";
const JSON_TYPE = "application/json";

function body(encoding: OtlpEncoding, bytes: () => Uint8Array, json: () => unknown): { body: BodyInit; type: string } {
  if (encoding === "protobuf") return { body: Buffer.from(bytes()), type: PROTOBUF };
  return { body: JSON.stringify(json()), type: JSON_TYPE };
}

export function exportResponse(encoding: OtlpEncoding, partial: PartialSuccess | null): Response {
  const b = body(
    encoding,
    () => encodeTraceResponse(partial),
    // int64 is a decimal string in OTLP/JSON.
    () => (partial ? { partialSuccess: { rejectedSpans: String(partial.rejectedSpans), errorMessage: partial.errorMessage } } : {}),
  );
  return new Response(b.body, { status: 200, headers: { "content-type": b.type, "cache-control": "no-store" } });
}

export function otlpError(encoding: OtlpEncoding, status: number, message: string, headers: Record<string, string> = {}): Response {
  const code = GRPC_CODE[status] ?? 2;
  const b = body(
    encoding,
    () => encodeStatus(code, message),
    () => ({ code, message }),
  );
  return new Response(b.body, { status, headers: { "content-type": b.type, "cache-control": "no-store", ...headers } });
}

/**
 * An answer made by the shared API code (authentication, rate limits, store errors:
 * JSON `{ error: { message } }`) in OTLP's form, keeping its status and its
 * WWW-Authenticate and Retry-After headers.
 */
export async function asOtlpError(encoding: OtlpEncoding, response: Response): Promise<Response> {
  let message = `HTTP ${response.status}`;
  try {
    const parsed = (await response.json()) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === "string") message = parsed.error.message;
  } catch {
    // not our JSON: the status says enough
  }
  const headers: Record<string, string> = {};
  for (const name of ["www-authenticate", "retry-after"]) {
    const value = response.headers.get(name);
    if (value) headers[name] = value;
  }
  return otlpError(encoding, response.status, message, headers);
}
