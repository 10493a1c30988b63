import { and, desc, sql, type SQL } from "drizzle-orm";
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

export type RunCountFilter = Omit<RunFilter, "status" | "cursor" | "before" | "limit">;

/**
 * The statement behind countRunsByStatus: one capped count per status, each a scalar
 * subquery of its own (exported for the plan tests).
 *
 * Each status is a literal, not a parameter or a join column: the planner then knows
 * from the statistics that a status is rare or absent. And each subquery asks for the
 * newest runs first, the order of runs_status_recent_idx `(project_id, status,
 * started_at desc, id desc)`, so walking that index and stopping after cap + 1 entries
 * is the cheap plan, also for a status no run has (one index descent). Without that
 * order a status absent from a million runs was counted with a sequential scan of the
 * whole table, since any plan that stops "after cap + 1 rows" looks cheap when the
 * planner expects half the rows to match: 0.5 s a page view on the bench's table.
 * A tag or name filter can still pick its own index when that is cheaper.
 */
export function runCountsStatement(projectId: string, filter: RunCountFilter, cap: number): SQL {
  if (!Number.isSafeInteger(cap) || cap < 0) throw new RangeError(`cap: must be an integer >= 0, got ${cap}`);
  const counts = RUN_STATUSES.map((status) => {
    const where = and(...runConditions(projectId, filter), sql`${runs.status} = ${sql.raw(`'${status}'`)}`);
    const newest = sql`select 1 from ${runs} where ${where} order by ${desc(runs.startedAt)}, ${desc(runs.id)} limit ${sql.raw(String(cap + 1))}`;
    return sql`(select count(*)::int from (${newest}) as capped) as ${sql.identifier(status)}`;
  });
  return sql`select ${sql.join(counts, sql`, `)}`;
}

/**
 * Runs per status for a list filter (its status and page position ignored), each count
 * capped, in one statement (see runCountsStatement): at most 5 × (cap + 1) index
 * entries whatever the table size, where a plain `count(*) … group by status` visits
 * every matching run on every page view.
 */
export async function countRunsByStatus(db: Db, projectId: string, filter: RunCountFilter = {}, cap = RUN_COUNT_CAP): Promise<Record<RunStatus, RunStatusCount>> {
  const [row] = await selectRows<Record<RunStatus, number | string>>(db, runCountsStatement(projectId, filter, cap));
  const out = {} as Record<RunStatus, RunStatusCount>;
  for (const s of RUN_STATUSES) {
    const n = Number(row?.[s] ?? 0);
    out[s] = { count: Math.min(n, cap), capped: n > cap };
  }
  return out;
}
