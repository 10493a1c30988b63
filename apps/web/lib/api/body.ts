import { apiError } from "./responses";

export type Body = { ok: true; text: string } | { ok: false; response: Response };

/** Reads a request body, refusing (413) past `maxBytes` without buffering the rest. */
export async function readBody(request: Request, maxBytes: number): Promise<Body> {
  const tooLarge = (size: string) =>
    ({
      ok: false,
      response: apiError(413, "payload_too_large", `body: ${size}, limit ${maxBytes} bytes; send smaller batches`, {
        field: "body",
      }),
    }) as const;
  const declared = Number(request.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) return tooLarge(`${declared} bytes`);
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      void discardRest(reader);
      return tooLarge(`more than ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  return { ok: true, text: Buffer.concat(parts).toString("utf8") };
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
