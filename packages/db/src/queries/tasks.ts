import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { tasks } from "../schema.js";
import { getRunOnly } from "./runs.js";
import { ERROR_MESSAGE_PREVIEW, type RunView, type TaskSummaryView, type TaskView, toTaskSummaryView, toTaskView } from "./views.js";

/** The columns the timeline needs: no payloads, and only the head of the error message. */
const timelineColumns = {
  id: tasks.id,
  runId: tasks.runId,
  parentTaskId: tasks.parentTaskId,
  name: tasks.name,
  status: tasks.status,
  errorMessage: sql<string | null>`left(${tasks.errorMessage}, ${sql.raw(String(ERROR_MESSAGE_PREVIEW))})`,
  statusMessage: tasks.statusMessage,
  progress: tasks.progress,
  inputTokens: tasks.inputTokens,
  outputTokens: tasks.outputTokens,
  costUsd: tasks.costUsd,
  version: tasks.version,
  startSeq: tasks.startSeq,
  startedAt: tasks.startedAt,
  endedAt: tasks.endedAt,
};

/**
 * A run with its tasks in timeline order, without the tasks' payloads (see
 * TaskSummaryView): what the run page renders. Null when the project has no such run.
 */
export async function getRunTimeline(db: Db, projectId: string, runId: string): Promise<{ run: RunView; tasks: TaskSummaryView[] } | null> {
  const run = await getRunOnly(db, projectId, runId);
  if (!run) return null;
  const rows = await db
    .select(timelineColumns)
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.runId, runId)))
    // A task whose start has not arrived yet sorts by its end until it does.
    .orderBy(sql`coalesce(${tasks.startSeq}, ${tasks.endSeq})`, asc(tasks.id));
  return { run, tasks: rows.map(toTaskSummaryView) };
}

/** One task with its payloads, or null when the run has no such task. */
export async function getTask(db: Db, projectId: string, runId: string, taskId: string): Promise<TaskView | null> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.runId, runId), eq(tasks.id, taskId)));
  return row ? toTaskView(row) : null;
}
