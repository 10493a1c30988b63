import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { RUN_STATUSES, type RunStatus, runs, tasks } from "../schema.js";

/**
 * Aggregates for the overview page. Every statement filters runs on
 * `project_id = ? and started_at >= ? and started_at < ?`, a range of
 * runs_recent_idx `(project_id, started_at desc, id desc)`; tasks are reached from
 * those runs through their primary key `(project_id, run_id, id)`.
 */

/** A time window cut into equal buckets; `from` should be a multiple of the bucket (the x-axis starts there). */
export interface OverviewWindow {
  from: Date;
  to: Date;
  bucketMs: number;
}

export interface RunBucket {
  /** ISO start of the bucket. */
  start: string;
  counts: Record<RunStatus, number>;
  /** Runs that ended (any status but running). */
  finished: number;
  /** Finished runs that failed or timed out. */
  failed: number;
  /** failed / finished, null when nothing finished in the bucket. */
  failureRate: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface RunStats {
  runs: number;
  finished: number;
  failed: number;
  failureRate: number | null;
  /** Of finished runs; null when none finished. */
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  tokens: number;
  costUsd: number;
}

export interface TaskDuration {
  name: string;
  /** Tasks of this name that ended in the window's runs. */
  count: number;
  failed: number;
  p50Ms: number;
  p95Ms: number;
}

// A run's usage is its tasks' sums plus what its own terminal event reported (as in views.ts).
const runCost = sql`(${runs.costUsd} + coalesce((${runs.ownUsage}->>'costUsd')::float8, 0))`;
const runInput = sql`(${runs.inputTokens} + coalesce((${runs.ownUsage}->>'inputTokens')::float8, 0))`;
const runOutput = sql`(${runs.outputTokens} + coalesce((${runs.ownUsage}->>'outputTokens')::float8, 0))`;
// Clamped at 0 like the views' durationMs: client clocks and server-made ends (a task
// started after its run was cancelled ends at the cancel) can put an end before a start.
const runMs = sql`greatest(extract(epoch from (${runs.endedAt} - ${runs.startedAt})) * 1000, 0)`;

const inWindow = (projectId: string, w: OverviewWindow) =>
  sql`${runs.projectId} = ${projectId} and ${runs.startedAt} >= ${w.from.toISOString()}::timestamptz and ${runs.startedAt} < ${w.to.toISOString()}::timestamptz`;

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const rate = (failed: number, finished: number) => (finished > 0 ? failed / finished : null);

/**
 * Runs per bucket of the window by status, with failure rate, tokens and cost. Every
 * bucket from `from` to `to` is present, empty ones as zeros, so a chart's x-axis is
 * continuous. Buckets are `date_bin` of started_at with `from` as the origin.
 */
export async function listRunBuckets(db: Db, projectId: string, w: OverviewWindow): Promise<RunBucket[]> {
  const step = sql`(${w.bucketMs / 1000} * interval '1 second')`;
  const from = sql`${w.from.toISOString()}::timestamptz`;
  const counts = RUN_STATUSES.map((s) => sql`, count(r.status) filter (where r.status = ${s})::int as ${sql.identifier(s)}`);
  const rows = await selectRows<Record<string, unknown> & { start: Date | string }>(
    db,
    sql`with b as (
          select generate_series(${from}, ${w.to.toISOString()}::timestamptz - interval '1 microsecond', ${step}) as start
        ), r as (
          select date_bin(${step}, ${runs.startedAt}, ${from}) as start, ${runs.status} as status,
                 ${runInput} as input_tokens, ${runOutput} as output_tokens, ${runCost} as cost_usd
          from ${runs} where ${inWindow(projectId, w)}
        )
        select b.start ${sql.join(counts, sql``)},
               coalesce(sum(r.input_tokens), 0)::float8 as input_tokens,
               coalesce(sum(r.output_tokens), 0)::float8 as output_tokens,
               coalesce(sum(r.cost_usd), 0)::float8 as cost_usd
        from b left join r on r.start = b.start
        group by b.start order by b.start`,
  );
  return rows.map((row) => {
    const c = Object.fromEntries(RUN_STATUSES.map((s) => [s, num(row[s])])) as Record<RunStatus, number>;
    const finished = c.completed + c.failed + c.cancelled + c.timed_out;
    const failed = c.failed + c.timed_out;
    return {
      start: new Date(row.start).toISOString(),
      counts: c,
      finished,
      failed,
      failureRate: rate(failed, finished),
      inputTokens: num(row.input_tokens),
      outputTokens: num(row.output_tokens),
      costUsd: Math.round(num(row.cost_usd) * 1e10) / 1e10,
    };
  });
}

/** Totals of the window: run count, failure rate, run duration percentiles, tokens and cost. */
export async function getRunStats(db: Db, projectId: string, w: Omit<OverviewWindow, "bucketMs">): Promise<RunStats> {
  const [row] = await selectRows<Record<string, unknown>>(
    db,
    sql`select count(*)::int as runs,
               count(*) filter (where ${runs.status} <> 'running')::int as finished,
               count(*) filter (where ${runs.status} in ('failed', 'timed_out'))::int as failed,
               percentile_cont(0.5) within group (order by ${runMs}) filter (where ${runs.endedAt} is not null) as p50,
               percentile_cont(0.95) within group (order by ${runMs}) filter (where ${runs.endedAt} is not null) as p95,
               coalesce(sum(${runInput} + ${runOutput}), 0)::float8 as tokens,
               coalesce(sum(${runCost}), 0)::float8 as cost_usd
        from ${runs} where ${inWindow(projectId, { ...w, bucketMs: 0 })}`,
  );
  const finished = num(row?.finished);
  const failed = num(row?.failed);
  return {
    runs: num(row?.runs),
    finished,
    failed,
    failureRate: rate(failed, finished),
    p50DurationMs: numOrNull(row?.p50),
    p95DurationMs: numOrNull(row?.p95),
    tokens: num(row?.tokens),
    costUsd: Math.round(num(row?.cost_usd) * 1e10) / 1e10,
  };
}

/** p50 / p95 duration of the `limit` most frequent task names among the window's runs (ended tasks only). */
export async function listTaskDurations(
  db: Db,
  projectId: string,
  w: Omit<OverviewWindow, "bucketMs">,
  limit = 10,
): Promise<TaskDuration[]> {
  const taskMs = sql`greatest(extract(epoch from (${tasks.endedAt} - ${tasks.startedAt})) * 1000, 0)`;
  const rows = await selectRows<{ name: string; n: unknown; failed: unknown; p50: unknown; p95: unknown }>(
    db,
    sql`select ${tasks.name} as name, count(*)::int as n,
               count(*) filter (where ${tasks.status} = 'failed')::int as failed,
               percentile_cont(0.5) within group (order by ${taskMs}) as p50,
               percentile_cont(0.95) within group (order by ${taskMs}) as p95
        from ${runs} join ${tasks} on ${tasks.projectId} = ${runs.projectId} and ${tasks.runId} = ${runs.id}
        where ${inWindow(projectId, { ...w, bucketMs: 0 })}
          and ${tasks.startedAt} is not null and ${tasks.endedAt} is not null
        group by ${tasks.name}
        order by n desc, ${tasks.name}
        limit ${limit}`,
  );
  return rows.map((r) => ({ name: r.name, count: num(r.n), failed: num(r.failed), p50Ms: num(r.p50), p95Ms: num(r.p95) }));
}
