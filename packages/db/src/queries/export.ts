import { and, asc, eq, gt, gte, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../client.js";
import { tasks, type TaskStatus } from "../schema.js";

/**
 * A task as an export writes it: every column a user may want, payloads as the JSON
 * text the database holds (an export writes that text as it is: CSV cells, or spliced
 * into the JSON document, never parsed and serialised again), times in epoch ms.
 */
export interface ExportTask {
  id: string;
  parentTaskId: string | null;
  name: string;
  status: TaskStatus;
  /** JSON text, or null when the task has none. */
  input: string | null;
  output: string | null;
  errorMessage: string | null;
  errorStack: string | null;
  statusMessage: string | null;
  progress: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** Timeline position (seq of the start); null until the start arrives. */
  seq: number | null;
  startMs: number | null;
  endMs: number | null;
  version: number;
}

/** Where the next page starts: after this task in timeline order. */
export interface ExportPosition {
  seq: number | null;
  id: string;
}

export interface ExportPage {
  tasks: ExportTask[];
  /** Position after the last task; null when the run has no more. */
  next: ExportPosition | null;
}

const columns = {
  id: tasks.id,
  parentTaskId: tasks.parentTaskId,
  name: tasks.name,
  status: tasks.status,
  input: sql<string | null>`${tasks.input}::text`,
  output: sql<string | null>`${tasks.output}::text`,
  errorMessage: tasks.errorMessage,
  errorStack: tasks.errorStack,
  statusMessage: tasks.statusMessage,
  progress: tasks.progress,
  inputTokens: tasks.inputTokens,
  outputTokens: tasks.outputTokens,
  costUsd: tasks.costUsd,
  seq: tasks.startSeq,
  // float8: both drivers hand over a JS number (bigint/numeric would be a string on postgres.js).
  startMs: sql<number | null>`(extract(epoch from ${tasks.startedAt}) * 1000)::float8`,
  endMs: sql<number | null>`(extract(epoch from ${tasks.endedAt}) * 1000)::float8`,
  version: tasks.version,
};

async function select(db: Db, where: SQL, order: SQL[], limit: number): Promise<ExportTask[]> {
  const rows = await db
    .select(columns)
    .from(tasks)
    .where(where)
    .orderBy(...order)
    .limit(limit);
  return rows.map((r) => ({ ...r, startMs: r.startMs === null ? null : Math.floor(Number(r.startMs)), endMs: r.endMs === null ? null : Math.floor(Number(r.endMs)) }));
}

/**
 * Up to `limit` of a run's tasks in timeline order (by start seq, then id; tasks whose
 * start has not arrived last, by id), after `after`. Keyset ranges of tasks_timeline_idx
 * `(project_id, run_id, start_seq)`, like the timeline's pages: a page costs its own
 * rows wherever it lies, and every statement filters by run (one shard on Citus).
 */
export async function listExportTasks(db: Db, projectId: string, runId: string, opts: { after?: ExportPosition | null; limit: number }): Promise<ExportPage> {
  const { limit } = opts;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit: must be an integer >= 1, got ${limit}`);
  const at = opts.after ?? null;
  const run = and(eq(tasks.projectId, projectId), eq(tasks.runId, runId)) as SQL;
  let page: ExportTask[] = [];
  if (!at || at.seq !== null) {
    const from = at && at.seq !== null ? (and(gte(tasks.startSeq, at.seq), or(gt(tasks.startSeq, at.seq), gt(tasks.id, at.id))) as SQL) : isNotNull(tasks.startSeq);
    page = await select(db, and(run, from) as SQL, [asc(tasks.startSeq), asc(tasks.id)], limit + 1);
  }
  if (page.length <= limit) {
    const from = at?.seq === null ? gt(tasks.id, at.id) : undefined;
    page = page.concat(await select(db, and(run, isNull(tasks.startSeq), from) as SQL, [asc(tasks.id)], limit + 1 - page.length));
  }
  const data = page.slice(0, limit);
  const last = data[data.length - 1];
  return { tasks: data, next: page.length > limit && last ? { seq: last.seq, id: last.id } : null };
}
