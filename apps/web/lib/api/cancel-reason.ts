import { z } from "zod";
import { storableText } from "../ingest/sanitize";
import { firstIssue } from "./json-body";

/** Longest reason a cancel may carry. */
export const MAX_CANCEL_REASON = 2000;

export type CancelReason = { ok: true; reason: string | undefined } | { ok: false; field: string; message: string };

/** `{ reason?: string | null }`; other keys are ignored. */
const CancelBody = z.object(
  { reason: z.string("must be a string").max(MAX_CANCEL_REASON, `longer than ${MAX_CANCEL_REASON} characters`).nullish() },
  "must be a JSON object",
);

/** Parses the optional cancel body `{ reason?: string }`; an empty body is fine. */
export function parseCancelReason(text: string): CancelReason {
  if (text.trim() === "") return { ok: true, reason: undefined };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return { ok: false, field: "body", message: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = CancelBody.safeParse(body);
  if (!parsed.success) return { ok: false, ...firstIssue(parsed.error) };
  const { reason } = parsed.data;
  // Stored as text: a NUL or lone surrogate becomes U+FFFD, as in ingested texts.
  return { ok: true, reason: reason == null || reason.trim() === "" ? undefined : storableText(reason) };
}
