import { apiError } from "./responses";

export type Body = { ok: true; text: string } | { ok: false; response: Response };

/** Reads a request body, refusing (413) past `maxBytes` without buffering the rest. */
export async function readBody(request: Request, maxBytes: number): Promise<Body> {
  const read = await readBytes(request, maxBytes);
  if (read.ok) return { ok: true, text: read.bytes.toString("utf8") };
  return {
    ok: false,
    response: apiError(413, "payload_too_large", `body: ${read.size}, limit ${maxBytes} bytes; send smaller batches`, { field: "body" }),
  };
}

/** A body's bytes, or how large it was past `maxBytes` (`size`, for the caller's own 413). */
export type Bytes = { ok: true; bytes: Buffer } | { ok: false; size: string };

/** Reads a request body as bytes, stopping past `maxBytes` (checked from content-length first, then while streaming). */
export async function readBytes(request: Request, maxBytes: number): Promise<Bytes> {
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return { ok: false, size: `${declared} bytes` };
  if (!request.body) return { ok: true, bytes: Buffer.alloc(0) };
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void discardRest(reader);
      return { ok: false, size: `more than ${maxBytes} bytes` };
    }
    parts.push(value);
  }
  return { ok: true, bytes: Buffer.concat(parts) };
}

/**
 * Reads and drops what is left of a refused body, in the background. Cancelling
 * instead leaves the rest unread on a keep-alive connection: the client's next
 * request on it is never parsed and hangs until the socket is reset. (Node
 * likewise discards an unread body it never started reading; its request
 * timeout bounds how long this can take.)
 */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) return;
    }
  } catch {
    // The client went away: nothing left to discard.
  }
}
