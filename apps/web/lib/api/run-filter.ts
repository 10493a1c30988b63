import { RUN_STATUSES, type RunFilter } from "@runtrail/db";
import { z } from "zod";
import { env } from "../env";
import { queryCursor, queryDate, queryId, queryText } from "./request-fields";

const schema = z.object({
  status: z.enum(RUN_STATUSES, { message: `must be one of ${RUN_STATUSES.join(", ")}` }).optional(),
  name: queryText(env.limits.nameChars).optional(),
  /** Name search: case-insensitive prefix. */
  q: queryText(env.limits.nameChars).optional(),
  tag: queryText(env.limits.tagChars).optional(),
  parentRunId: queryId.optional(),
  from: queryDate.optional(),
  to: queryDate.optional(),
  limit: z.coerce.number().int("must be an integer").min(1, "must be >= 1").max(200, "must be <= 200").optional(),
  cursor: queryCursor.optional(),
  before: queryCursor.optional(),
});

export type ParsedFilter = { ok: true; filter: RunFilter } | { ok: false; field: string; message: string };

/** Parses GET /api/v1/runs query parameters (also the dashboard's URL state). */
export function parseRunFilter(params: URLSearchParams): ParsedFilter {
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (v !== "") raw[k] = v;
  const result = schema.safeParse(raw);
  if (result.success) {
    if (result.data.cursor && result.data.before) return { ok: false, field: "before", message: "give cursor or before, not both" };
    return { ok: true, filter: result.data };
  }
  const issue = result.error.issues[0];
  return { ok: false, field: String(issue?.path[0] ?? "query"), message: issue?.message ?? "invalid" };
}
