import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { runs, tasks } from "../schema.js";
import { type RunSummaryView, summaryColumns, toRunSummaryView } from "./views.js";

/**
 * "What changed since it last worked?": a run beside the most recent completed run of
 * the same name that started before it, task name by task name. Four statements,
 * none of which reads another run's tasks: the run by primary key, the baseline's id by
 * a backwards walk of runs_name_recent_idx that stops at the first completed run, the
 * baseline by primary key, and one aggregate over both runs' tasks reached by their
 * primary-key prefix (project_id, run_id). On Citus all but the walk go to one shard
 * each; the walk asks every shard (see lastSuccessQuery).
 */

/** One run's tasks of one name. */
export interface TaskNameStats {
  count: number;
  /** Tasks of this name that ended (have a duration). */
  ended: number;
  /** Sum and maximum of the ended tasks' durations. */
  totalMs: number;
  maxMs: number;
  failed: number;
}

/** A task name with each run's numbers; null on the side that has no task of that name. */
export interface TaskNameComparison {
  name: string;
  run: TaskNameStats | null;
  baseline: TaskNameStats | null;
}

export interface RunComparison {
  run: RunSummaryView;
  /** The most recent completed run of the same name started before this one; null when there is none. */
  baseline: RunSummaryView | null;
  /**
   * Worst first: names with failures in this run, then by how much longer this run's
   * tasks of that name took in total (new names count whole, missing ones negative).
   */
  names: TaskNameComparison[];
  /** Distinct task names over both runs; more than names.length when the list was cut at `limit`. */
  nameCount: number;
}

/** Default cap on the names compared: a run whose every task has its own name would otherwise send them all. */
export const COMPARISON_NAME_LIMIT = 500;

type RunKey = Pick<RunSummaryView, "id" | "name" | "startedAt">;

/**
 * How many runs of the same name the baseline lookup walks back before it gives up. The
 * walk follows runs_name_recent_idx and stops at the first completed run, so it is
 * usually a step or two; the bound keeps a name that has failed for ages (or never
 * succeeded) from reading all of its runs each time the comparison opens.
 */
export const LAST_SUCCESS_LOOKBACK = 1000;

/**
 * The statement of findLastSuccess (exported for its plan test): the id of the baseline.
 * The walk keeps only what it filters and orders on: on Citus every shard walks its part
 * of the index and the coordinator merges the walks, so narrow rows are what travels.
 */
export function lastSuccessQuery(db: Db, projectId: string, before: RunKey) {
  // The inner ORDER BY … LIMIT is an index walk whose order the outer query keeps: no sort.
  const recent = db
    .select({ id: runs.id, startedAt: runs.startedAt, status: runs.status })
    .from(runs)
    .where(
      and(
        eq(runs.projectId, projectId),
        eq(runs.name, before.name),
        sql`(${runs.startedAt}, ${runs.id}) < (${before.startedAt}::timestamptz, ${before.id})`,
      ),
    )
    .orderBy(desc(runs.startedAt), desc(runs.id))
    .limit(LAST_SUCCESS_LOOKBACK)
    .as("recent");
  return db
    .select({ id: recent.id })
    .from(recent)
    .where(eq(recent.status, "completed"))
    .orderBy(desc(recent.startedAt), desc(recent.id))
    .limit(1);
}

/**
 * The most recent completed run of the same name that started before `before`, in
 * keyset order, among the LAST_SUCCESS_LOOKBACK runs of that name before it.
 */
export async function findLastSuccess(db: Db, projectId: string, before: RunKey): Promise<RunSummaryView | null> {
  // A placeholder run (no run.start yet) has no name to match on.
  if (before.name === "") return null;
  const [hit] = await lastSuccessQuery(db, projectId, before);
  if (!hit) return null;
  return getRunSummary(db, projectId, hit.id);
}

async function getRunSummary(db: Db, projectId: string, runId: string): Promise<RunSummaryView | null> {
  const [row] = await db
    .select(summaryColumns)
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  return row ? toRunSummaryView(row) : null;
}

interface NameRow {
  name: string;
  total_names: unknown;
  r_count: unknown;
  r_ended: unknown;
  r_total: unknown;
  r_max: unknown;
  r_failed: unknown;
  b_count: unknown;
  b_ended: unknown;
  b_total: unknown;
  b_max: unknown;
  b_failed: unknown;
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

function side(row: NameRow, p: "r" | "b"): TaskNameStats | null {
  if (num(row[`${p}_count`]) === 0) return null;
  return { count: num(row[`${p}_count`]), ended: num(row[`${p}_ended`]), totalMs: num(row[`${p}_total`]), maxMs: num(row[`${p}_max`]), failed: num(row[`${p}_failed`]) };
}

/** The statement of compareTaskNames (exported for its plan test). */
export function taskNamesQuery(projectId: string, runId: string, baselineId: string, limit: number): SQL {
  // Each run's tasks by an equality on (project_id, run_id), a range of the primary key;
  // then one aggregate by name over both, each side picked out by a filter (no join).
  // date_part is float8; extract(epoch …) would be numeric, several times slower to sum.
  const rows = (side: number, id: string) =>
    sql`select ${sql.raw(String(side))} as side, ${tasks.name} as name, ${tasks.status} as status,
               case when ${tasks.endedAt} is not null and ${tasks.startedAt} is not null
                    then greatest(date_part('epoch', ${tasks.endedAt} - ${tasks.startedAt}) * 1000, 0) end as ms
        from ${tasks} where ${tasks.projectId} = ${projectId} and ${tasks.runId} = ${id}`;
  // ms is null for a task that has not ended (greatest() alone would make it 0): count() and sum() skip it.
  const stats = (side: number, p: string) =>
    sql.raw(`count(*) filter (where side = ${side})::int as ${p}_count,
             count(ms) filter (where side = ${side})::int as ${p}_ended,
             coalesce(sum(ms) filter (where side = ${side}), 0)::float8 as ${p}_total,
             coalesce(max(ms) filter (where side = ${side}), 0)::float8 as ${p}_max,
             count(*) filter (where side = ${side} and status = 'failed')::int as ${p}_failed`);
  return sql`with t as (${rows(1, runId)} union all ${rows(0, baselineId)}),
        g as (select name, ${stats(1, "r")}, ${stats(0, "b")} from t group by name)
        select *, count(*) over () as total_names from g
        order by r_failed > 0 desc, r_total - b_total desc, name
        limit ${limit}`;
}

/** Both runs' tasks per name, worst first (see RunComparison.names), at most `limit` names. */
export async function compareTaskNames(
  db: Db,
  projectId: string,
  runId: string,
  baselineId: string,
  limit = COMPARISON_NAME_LIMIT,
): Promise<{ names: TaskNameComparison[]; nameCount: number }> {
  const rows = await selectRows<NameRow>(db, taskNamesQuery(projectId, runId, baselineId, limit));
  return {
    names: rows.map((row) => ({ name: row.name, run: side(row, "r"), baseline: side(row, "b") })),
    nameCount: num(rows[0]?.total_names),
  };
}

/** The run against its last success (see the file comment); null when the project has no such run. */
export async function getRunComparison(db: Db, projectId: string, runId: string, limit = COMPARISON_NAME_LIMIT): Promise<RunComparison | null> {
  const run = await getRunSummary(db, projectId, runId);
  if (!run) return null;
  const baseline = await findLastSuccess(db, projectId, run);
  if (!baseline) return { run, baseline: null, names: [], nameCount: 0 };
  return { run, baseline, ...(await compareTaskNames(db, projectId, run.id, baseline.id, limit)) };
}
