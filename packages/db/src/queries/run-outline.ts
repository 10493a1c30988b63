import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";
import { type TaskStatus, tasks } from "../schema.js";
import { getRunOnly } from "./runs.js";
import type { RunView } from "./views.js";

/**
 * A run in brief, for readers with little room (the MCP server's get_run): the run,
 * its failing and running tasks, and where the time went. Every statement is filtered
 * by the run (one shard on Citus); the failed and running lists walk the partial
 * indexes tasks_failed_idx and tasks_running_idx, the aggregates read the run's tasks once.
 */

/** A task in an outline: no payloads, the head of its error. */
export interface OutlineTask {
  id: string;
  name: string;
  status: TaskStatus;
  parentTaskId: string | null;
  parentName: string | null;
  errorMessage: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
}

/** Tasks of one name: how many, their summed and longest duration, how many failed. */
export interface OutlineName {
  name: string;
  count: number;
  totalMs: number;
  maxMs: number;
  failed: number;
}

export interface RunOutline {
  run: RunView;
  /** The first to fail, by end time (at most `limit`). */
  failed: OutlineTask[];
  /** Still running (at most `limit`), by start. */
  running: OutlineTask[];
  /** Task names by the time their tasks took together, longest first. */
  names: OutlineName[];
  /** How many distinct task names the run has. */
  nameCount: number;
  /** The longest single tasks. */
  slowest: OutlineTask[];
}

const ERROR_HEAD = 300;

const outlineColumns = {
  id: tasks.id,
  name: tasks.name,
  status: tasks.status,
  parentTaskId: tasks.parentTaskId,
  errorMessage: sql<string | null>`left(${tasks.errorMessage}, ${ERROR_HEAD})`,
  startedAt: tasks.startedAt,
  endedAt: tasks.endedAt,
};

type Row = { id: string; name: string; status: TaskStatus; parentTaskId: string | null; errorMessage: string | null; startedAt: Date | null; endedAt: Date | null };

const durationOf = (r: Row) => (r.startedAt && r.endedAt ? Math.max(0, r.endedAt.getTime() - r.startedAt.getTime()) : null);

export async function getRunOutline(db: Db, projectId: string, runId: string, limit = 10): Promise<RunOutline | null> {
  const run = await getRunOnly(db, projectId, runId);
  if (!run) return null;
  const ofRun = and(eq(tasks.projectId, projectId), eq(tasks.runId, runId));
  const [failed, running, names, slowest] = await Promise.all([
    run.taskCounts.failed > 0
      ? db.select(outlineColumns).from(tasks).where(and(ofRun, eq(tasks.status, "failed"))).orderBy(asc(tasks.endedAt), asc(tasks.id)).limit(limit)
      : [],
    run.taskCounts.running > 0
      ? db.select(outlineColumns).from(tasks).where(and(ofRun, eq(tasks.status, "running"))).orderBy(asc(tasks.startSeq), asc(tasks.id)).limit(limit)
      : [],
    selectRows<{ name: string; count: number | string; total_ms: number | string | null; max_ms: number | string | null; failed: number | string; names: number | string }>(
      db,
      sql`select name, count(*) as count,
            coalesce(sum(extract(epoch from ended_at - started_at) * 1000), 0) as total_ms,
            coalesce(max(extract(epoch from ended_at - started_at) * 1000), 0) as max_ms,
            count(*) filter (where status = 'failed') as failed,
            count(*) over () as names
          from tasks where project_id = ${projectId} and run_id = ${runId}
          group by name order by total_ms desc, name limit ${limit}`,
    ),
    run.taskCounts.total > 0
      ? db
          .select(outlineColumns)
          .from(tasks)
          .where(and(ofRun, sql`${tasks.endedAt} is not null and ${tasks.startedAt} is not null`))
          .orderBy(sql`${tasks.endedAt} - ${tasks.startedAt} desc`, asc(tasks.id))
          .limit(5)
      : [],
  ]);

  // Parents' names, so a failure says where it sits.
  const parentIds = [...new Set([...failed, ...running, ...slowest].flatMap((t) => (t.parentTaskId ? [t.parentTaskId] : [])))];
  const parents = parentIds.length
    ? await db
        .select({ id: tasks.id, name: tasks.name })
        .from(tasks)
        .where(and(ofRun, inArray(tasks.id, parentIds)))
    : [];
  const parentName = new Map(parents.map((p) => [p.id, p.name]));
  const view = (r: Row): OutlineTask => ({ ...r, parentName: r.parentTaskId ? (parentName.get(r.parentTaskId) ?? null) : null, durationMs: durationOf(r) });
  return {
    run,
    failed: failed.map(view),
    running: running.map(view),
    names: names.map((n) => ({ name: n.name, count: Number(n.count), totalMs: Math.round(Number(n.total_ms ?? 0)), maxMs: Math.round(Number(n.max_ms ?? 0)), failed: Number(n.failed) })),
    nameCount: Number(names[0]?.names ?? 0),
    slowest: slowest.map(view),
  };
}
