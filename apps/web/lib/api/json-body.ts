import { ConflictError, InvalidInputError, NotFoundError } from "@runtrail/db";
import type { z } from "zod";
import { readBody } from "./body";
import { apiError, storeError } from "./responses";

export type JsonBody<T> = { ok: true; value: T } | { ok: false; response: Response };

/** A small JSON body checked by `schema`: 400 naming the first wrong field, 413 past `maxBytes`. */
export async function readJsonBody<T>(request: Request, schema: z.ZodType<T>, maxBytes = 16 * 1024): Promise<JsonBody<T>> {
  const body = await readBody(request, maxBytes);
  if (!body.ok) return body;
  let raw: unknown;
  try {
    raw = body.text === "" ? {} : JSON.parse(body.text);
  } catch {
    return { ok: false, response: apiError(400, "invalid_body", "body: must be a JSON object", { field: "body" }) };
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, value: parsed.data };
  const { field, message } = firstIssue(parsed.error);
  return { ok: false, response: apiError(400, "invalid_params", `${field}: ${message}`, { field }) };
}

/** The first thing zod found wrong, as the field it is about (`body` for the whole) and why. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  return { field: issue && issue.path.length > 0 ? issue.path.join(".") : "body", message: issue?.message ?? "invalid" };
}

/** The answer for an error of the access layer: 400 bad input, 404, 409, else a store error. */
export function accessError(err: unknown): Response {
  if (err instanceof InvalidInputError) return apiError(400, "invalid_params", err.message, { field: err.field });
  if (err instanceof ConflictError) return apiError(409, "conflict", err.message, { field: err.field });
  if (err instanceof NotFoundError) return apiError(404, "not_found", err.message);
  return storeError(err);
}
