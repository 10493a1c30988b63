import { sql } from "drizzle-orm";
import { type Db, selectRows } from "../client.js";

/**
 * A task's attributes (sorted by key): what its task.start event carried beside the wire fields. Only
 * OTLP ingest writes them (a span's attributes); an SDK task has none (null). Read from
 * the task's own events through events_task_idx: no column of `tasks` holds them, so the
 * projection (and every timeline read) stays as it is.
 */
export async function getTaskAttributes(db: Db, projectId: string, runId: string, taskId: string): Promise<Record<string, unknown> | null> {
  const [row] = await selectRows<{ attributes: string | null }>(
    db,
    sql`select (payload -> 'attributes')::text as attributes from events
        where project_id = ${projectId} and run_id = ${runId} and task_id = ${taskId} and type = 'task.start'
        order by seq, id limit 1`,
  );
  if (!row?.attributes) return null;
  const parsed: unknown = JSON.parse(row.attributes);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return null;
  // jsonb keeps keys in its own order (shortest first): by name reads better, and the same on both stores.
  return Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
