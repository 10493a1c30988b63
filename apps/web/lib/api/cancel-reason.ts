import { storableText } from "../ingest/sanitize";

/** Longest reason a cancel may carry. */
export const MAX_CANCEL_REASON = 2000;

export type CancelReason = { ok: true; reason: string | undefined } | { ok: false; field: string; message: string };

/** Parses the optional cancel body `{ reason?: string }`; an empty body is fine. */
export function parseCancelReason(text: string): CancelReason {
  if (text.trim() === "") return { ok: true, reason: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, field: "body", message: `not valid JSON (${(err as Error).message})` };
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) return { ok: false, field: "body", message: "must be a JSON object" };
  const reason = (body as { reason?: unknown }).reason;
  if (reason === undefined || reason === null) return { ok: true, reason: undefined };
  if (typeof reason !== "string") return { ok: false, field: "reason", message: "must be a string" };
  if (reason.length > MAX_CANCEL_REASON) return { ok: false, field: "reason", message: `longer than ${MAX_CANCEL_REASON} characters` };
  // Stored as text: a NUL or lone surrogate becomes U+FFFD, as in ingested texts.
  return { ok: true, reason: reason.trim() === "" ? undefined : storableText(reason) };
}
