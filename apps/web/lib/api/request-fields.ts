import { z } from "zod";
import { env } from "../env";
import { storableText, unstorable } from "../ingest/sanitize";
import { apiError } from "./responses";

/**
 * Fields of read and control requests (query parameters, path ids), held to the
 * same limits as ingested events, so nothing a URL carries reaches Postgres in a
 * form it refuses: a NUL (%00) in a name filter becomes U+FFFD (as it was stored),
 * an id that no stored id could equal is a 400 naming it.
 */

const tooLong = (max: number) => ({ error: (iss: { input?: unknown }) => `${String(iss.input).length} characters; the limit is ${max}` });

/** A text filter (name, prefix, tag): stored texts had their NULs replaced, so the filter does too. */
export const queryText = (max: number) => z.string().min(1).max(max, tooLong(max)).transform(storableText);

/** A run or task id. */
export const queryId = z
  .string()
  .min(1)
  .max(env.limits.idChars, tooLong(env.limits.idChars))
  .check((ctx) => {
    const why = unstorable(ctx.value);
    if (why) ctx.issues.push({ code: "custom", message: why, input: ctx.value });
  });

/** An ISO-8601 time within the years Postgres and the ingest API share (0001..9999). */
export const queryDate = z.iso
  .datetime({ offset: true, message: "must be an ISO-8601 date-time" })
  .transform((s) => new Date(s))
  .refine((d) => d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999, "must be between years 0001 and 9999");

/** A page size: a whole number from 1 to `max`. */
export const queryLimit = (max: number) => z.coerce.number().int("must be an integer").min(1, "must be >= 1").max(max, `must be <= ${max}`);

/** An opaque page cursor (base64url; checked again when decoded). */
export const queryCursor = z.string().min(1).max(1000, tooLong(1000));

/** The answer for a bad path id (`id`, `taskId`), or null when it could name something stored. */
export function badPathId(value: string, field: string): Response | null {
  const result = queryId.safeParse(value);
  if (result.success) return null;
  const message = result.error.issues[0]?.message ?? "invalid";
  return apiError(400, "invalid_params", `${field}: ${message}`, { field });
}

/** The request's query parameters checked by `schema`, or the 400 naming the first wrong one (`field: why`). */
export function readQuery<T>(request: Request, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; response: Response } {
  const parsed = schema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? "query");
  const message = issue?.message ?? "invalid";
  return { ok: false, response: apiError(400, "invalid_params", message.startsWith(`${field}:`) ? message : `${field}: ${message}`, { field }) };
}
