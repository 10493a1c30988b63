/**
 * `client.runs.list()`: the runs list as lazily fetched pages, following
 * `nextCursor` (keyset pagination on the server).
 */
import { InvalidArgumentError } from "./errors.js";
import type { ApiRequest, Query } from "./http.js";
import type { RunPage, RunStatus, RunSummaryInfo } from "./protocol.js";

/** Filter of `client.runs.list()`; every field optional. */
export interface RunListFilter {
  status?: RunStatus;
  name?: string;
  tag?: string;
  parentRunId?: string;
  /** Runs started at or after this time. */
  from?: Date | string;
  /** Runs started before this time. */
  to?: Date | string;
  /** Runs per page, 1..200 (server default 50). */
  limit?: number;
  /** Start from this page cursor (a `nextCursor` seen before). */
  cursor?: string;
  signal?: AbortSignal;
}

/**
 * What `client.runs.list()` returns: iterate it for pages, or `items()` for runs.
 * Pages are fetched lazily, following `nextCursor`; each iteration starts over.
 *
 * @example
 * const failed = client.runs.list({ status: "failed", from: new Date(Date.now() - 86_400_000) });
 * for await (const page of failed) console.log(page.data.length, page.nextCursor);
 * for await (const run of failed.items()) console.log(run.id, run.errorMessage);
 */
export interface RunList extends AsyncIterable<RunPage> {
  items(): AsyncIterable<RunSummaryInfo>;
}

const STATUSES: readonly string[] = ["running", "completed", "failed", "cancelled", "timed_out"] satisfies RunStatus[];

function isoTime(value: Date | string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new InvalidArgumentError(`list(): ${what} must be a Date or an ISO-8601 string.`);
  return value instanceof Date ? value.toISOString() : value;
}

function listQuery(filter: RunListFilter): Query {
  const { status, limit } = filter;
  if (status !== undefined && !STATUSES.includes(status)) {
    throw new InvalidArgumentError(`list(): status must be one of ${STATUSES.join(", ")}, got ${JSON.stringify(status)}.`);
  }
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 200)) {
    throw new InvalidArgumentError(`list(): limit must be an integer from 1 to 200, got ${String(limit)}.`);
  }
  for (const key of ["name", "tag", "parentRunId", "cursor"] as const) {
    if (filter[key] !== undefined && typeof filter[key] !== "string") {
      throw new InvalidArgumentError(`list(): ${key} must be a string.`);
    }
  }
  return {
    status,
    name: filter.name,
    tag: filter.tag,
    parentRunId: filter.parentRunId,
    from: isoTime(filter.from, "from"),
    to: isoTime(filter.to, "to"),
    limit,
  };
}

/** Validates the filter at once (misuse throws at the call), then pages lazily through `request`. */
export function listRuns(request: (request: ApiRequest) => Promise<RunPage>, filter: RunListFilter): RunList {
  const query = listQuery(filter);
  async function* pages(): AsyncGenerator<RunPage, void, undefined> {
    let cursor = filter.cursor;
    for (;;) {
      const page = await request({ method: "GET", path: "/api/v1/runs", query: { ...query, cursor }, signal: filter.signal });
      yield page;
      // A missing or repeated cursor ends the walk rather than looping forever.
      if (typeof page.nextCursor !== "string" || page.nextCursor === "" || page.nextCursor === cursor) return;
      cursor = page.nextCursor;
    }
  }
  return {
    [Symbol.asyncIterator]: pages,
    items: async function* () {
      for await (const page of pages()) yield* page.data;
    },
  };
}
