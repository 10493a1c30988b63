import { apiError } from "./responses";

export type Body = { ok: true; text: string } | { ok: false; response: Response };

/** Reads a request body, refusing (413) past `maxBytes` without buffering the rest. */
export async function readBody(request: Request, maxBytes: number): Promise<Body> {
  const tooLarge = (size: string) =>
    ({
      ok: false,
      response: apiError(413, "payload_too_large", `body: ${size}, limit ${maxBytes} bytes; send smaller batches`),
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
      await reader.cancel();
      return tooLarge(`more than ${maxBytes} bytes`);
    }
    parts.push(value);
  }
  return { ok: true, text: Buffer.concat(parts).toString("utf8") };
}
