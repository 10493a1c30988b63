import { and, eq } from "drizzle-orm";
import type { Db } from "../client.js";
import { tasks } from "../schema.js";
import { type TaskView, toTaskView } from "./views.js";

/** One task with its payloads, or null when the run has no such task. */
export async function getTask(db: Db, projectId: string, runId: string, taskId: string): Promise<TaskView | null> {
  const [row] = await db
    .select()
    .from(tasks)
    .where(and(eq(tasks.projectId, projectId), eq(tasks.runId, runId), eq(tasks.id, taskId)));
  return row ? toTaskView(row) : null;
}
