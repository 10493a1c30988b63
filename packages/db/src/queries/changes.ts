import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { runs, tasks } from "../schema.js";
import { type RunView, type TaskView, toRunView, toTaskView } from "./views.js";

export interface RunChanges {
  run: RunView;
  /** Tasks changed after `since`, up to the run's current version, in chunks. */
  chunks: AsyncGenerator<TaskView[]>;
}

/**
 * What changed in a run since `version`: the run now, and the tasks whose version is
 * in (since, run.version], read lazily in keyset pages of `chunkSize` (a run with
 * 100,000 tasks never becomes one query result or one message).
 */
export async function getRunChanges(
  db: Db,
  projectId: string,
  runId: string,
  since: number,
  chunkSize = 1000,
): Promise<RunChanges | null> {
  const [row] = await db
    .select()
    .from(runs)
    .where(and(eq(runs.projectId, projectId), eq(runs.id, runId)));
  if (!row) return null;
  const upTo = row.version;
  async function* chunks(): AsyncGenerator<TaskView[]> {
    if (upTo <= since) return;
    let after: { version: number; id: string } | null = null;
    for (;;) {
      const page: (typeof tasks.$inferSelect)[] = await db
        .select()
        .from(tasks)
        .where(
          and(
            eq(tasks.projectId, projectId),
            eq(tasks.runId, runId),
            gt(tasks.version, since),
            lte(tasks.version, upTo),
            after ? sql`(${tasks.version}, ${tasks.id}) > (${after.version}, ${after.id})` : undefined,
          ),
        )
        .orderBy(asc(tasks.version), asc(tasks.id))
        .limit(chunkSize);
      if (page.length > 0) yield page.map(toTaskView);
      const last = page[page.length - 1];
      if (!last || page.length < chunkSize) return;
      after = { version: last.version, id: last.id };
    }
  }
  return { run: toRunView(row), chunks: chunks() };
}
