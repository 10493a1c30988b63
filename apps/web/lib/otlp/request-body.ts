import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { readBytes } from "@/lib/api/body";
import type { OtlpEncoding } from "./responses";

const gunzipAsync = promisify(gunzip);

/**
 * The encoding a request's Content-Type names: OTLP/HTTP sends protobuf
 * (`application/x-protobuf`) or JSON (`application/json`); null for anything else (415).
 */
export function encodingOf(request: Request): OtlpEncoding | null {
  const type = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

export type OtlpBody = { ok: true; bytes: Buffer } | { ok: false; status: 400 | 413 | 415; message: string };

/**
 * The request body, un-gzipped when `Content-Encoding: gzip`, at most `maxBytes` both
 * as sent and once inflated: a small gzip bomb stops at the limit, not in memory.
 */
export async function readOtlpBody(request: Request, maxBytes: number): Promise<OtlpBody> {
  const coding = (request.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (coding !== "" && coding !== "identity" && coding !== "gzip" && coding !== "x-gzip") {
    return { ok: false, status: 415, message: `Content-Encoding: ${coding} is not supported; send gzip or no encoding` };
  }
  const read = await readBytes(request, maxBytes);
  if (!read.ok) return { ok: false, status: 413, message: `body: ${read.size}, limit ${maxBytes} bytes (RUNTRAIL_OTLP_MAX_BODY_BYTES); export fewer spans per request` };
  if (coding === "" || coding === "identity") return { ok: true, bytes: read.bytes };
  try {
    return { ok: true, bytes: await gunzipAsync(read.bytes, { maxOutputLength: maxBytes }) };
  } catch (err) {
    if ((err as { code?: unknown }).code === "ERR_BUFFER_TOO_LARGE") {
      return { ok: false, status: 413, message: `body: more than ${maxBytes} bytes once un-gzipped (RUNTRAIL_OTLP_MAX_BODY_BYTES); export fewer spans per request` };
    }
    return { ok: false, status: 400, message: `body: Content-Encoding says gzip, but the body is not valid gzip (${(err as Error).message})` };
  }
}
