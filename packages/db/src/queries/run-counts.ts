import { and, sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { RUN_STATUSES, type RunStatus, runs } from "../schema.js";
import { type RunFilter, runConditions } from "./runs.js";

/** Counting stops here: the tabs say "10k+" rather than walk a million index entries. */
export const RUN_COUNT_CAP = 10_000;

export interface RunStatusCount {
  /** Runs of this status matching the filter, at most `cap`. */
  count: number;
  /** More than `cap` runs match (count is then `cap`). */
  capped: boolean;
}

/**
 * Runs per status for a list filter (its status and page position ignored), each count
 * capped, in one statement.
 *
 * Why not a plain `select status, count(*) … group by status`: it has to visit every
 * matching row, ~1,000,000 index entries (and heap checks) for a big project on every
 * page view, and PGlite is far slower at that than Postgres. Instead one grouped row per
 * status comes from a lateral subquery that stops after cap + 1 rows; each walks
 * runs_status_recent_idx `(project_id, status, started_at desc, id desc)` (a time range
 * is a range of that index), or the tag / name-prefix index when the planner
 * finds that cheaper. So a page costs at most 5 × 10,001 rows whatever the table size.
 */
export async function countRunsByStatus(
  db: Db,
  projectId: string,
  filter: Omit<RunFilter, "status" | "cursor" | "before" | "limit"> = {},
  cap = RUN_COUNT_CAP,
): Promise<Record<RunStatus, RunStatusCount>> {
  const where = and(...runConditions(projectId, filter), sql`${runs.status} = s.status`);
  const rows = await selectRows<{ status: RunStatus; n: number | string }>(
    db,
    sql`select s.status, c.n
        from unnest(${sql.raw(`array[${RUN_STATUSES.map((x) => `'${x}'`).join(",")}]`)}::text[]) as s(status)
        cross join lateral (
          select count(*)::int as n from (select 1 from ${runs} where ${where} limit ${cap + 1}) as capped
        ) as c`,
  );
  const out = Object.fromEntries(RUN_STATUSES.map((s) => [s, { count: 0, capped: false }])) as Record<RunStatus, RunStatusCount>;
  for (const r of rows) {
    const n = Number(r.n);
    out[r.status] = { count: Math.min(n, cap), capped: n > cap };
  }
  return out;
}
