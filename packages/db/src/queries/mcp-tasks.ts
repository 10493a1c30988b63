import { and, desc, eq, getTableColumns, inArray, lt, or, sql } from "drizzle-orm";
import type { Db } from "../client.js";
import { type McpTaskRow, type McpTaskStatus, mcpTasks, type RunStatus, runs } from "../schema.js";

/**
 * Storage of MCP tasks (schema.ts `mcp_tasks`). Every read and write names the API key
 * that made the task: a task is found by its key, never by its id alone. Times come
 * from the database's clock, which every replica shares.
 */

export interface NewMcpTask {
  id: string;
  keyId: string;
  projectId: string;
  tool: string;
  runId: string;
  waitMs: number;
  ttlMs: number;
  pollIntervalMs: number;
}

const ms = (n: number) => sql`now() + ${Math.round(n)} * interval '1 millisecond'`;
const live = sql`${mcpTasks.expiresAt} > now()`;

/** A task row and whether its wait is over by the database's clock. */
export type McpTask = McpTaskRow & { waitOver: boolean };
const columns = { ...getTableColumns(mcpTasks), waitOver: sql<boolean>`${mcpTasks.waitUntil} <= now()`.mapWith((v: unknown) => v === true || v === "t" || v === "true") };

export async function createMcpTask(db: Db, t: NewMcpTask): Promise<McpTask> {
  const [row] = await db
    .insert(mcpTasks)
    .values({
      id: t.id,
      keyId: t.keyId,
      projectId: t.projectId,
      tool: t.tool,
      runId: t.runId,
      status: "working",
      waitUntil: ms(t.waitMs),
      ttlMs: t.ttlMs,
      pollIntervalMs: t.pollIntervalMs,
      expiresAt: ms(t.ttlMs),
    })
    .returning(columns);
  if (!row) throw new Error("insert into mcp_tasks returned no row");
  return row;
}

/** The key's task, or null when it has none of that id (or it expired). */
export async function getMcpTask(db: Db, keyId: string, id: string): Promise<McpTask | null> {
  const [row] = await db
    .select(columns)
    .from(mcpTasks)
    .where(and(eq(mcpTasks.keyId, keyId), eq(mcpTasks.id, id), live));
  return row ?? null;
}

/** The key's tasks, newest first, after the task `after` (keyset on created_at, id). */
export async function listMcpTasks(db: Db, keyId: string, opts: { after?: { createdAt: Date; id: string } | undefined; limit: number }): Promise<McpTask[]> {
  const where = [eq(mcpTasks.keyId, keyId), live];
  if (opts.after) {
    const { createdAt, id } = opts.after;
    const at = or(lt(mcpTasks.createdAt, createdAt), and(eq(mcpTasks.createdAt, createdAt), lt(mcpTasks.id, id)));
    if (at) where.push(at);
  }
  return db
    .select(columns)
    .from(mcpTasks)
    .where(and(...where))
    .orderBy(desc(mcpTasks.createdAt), desc(mcpTasks.id))
    .limit(opts.limit);
}

/**
 * Ends a working task (terminal states are final: a task already ended is left as it
 * is). Returns the task as it now is, or null when the key has no such task.
 */
export async function settleMcpTask(
  db: Db,
  keyId: string,
  id: string,
  change: { status: McpTaskStatus; statusMessage?: string | null; result?: Record<string, unknown> | null },
): Promise<McpTask | null> {
  const [row] = await db
    .update(mcpTasks)
    .set({
      status: change.status,
      ...(change.statusMessage !== undefined ? { statusMessage: change.statusMessage } : {}),
      ...(change.result !== undefined ? { result: change.result } : {}),
      updatedAt: sql`now()`,
    })
    .where(and(eq(mcpTasks.keyId, keyId), eq(mcpTasks.id, id), inArray(mcpTasks.status, ["working", "input_required"]), live))
    .returning(columns);
  return row ?? getMcpTask(db, keyId, id);
}

/** Deletes up to `limit` expired tasks; returns how many. */
export async function purgeMcpTasks(db: Db, limit = 500): Promise<number> {
  const gone = await db
    .delete(mcpTasks)
    .where(inArray(mcpTasks.id, db.select({ id: mcpTasks.id }).from(mcpTasks).where(lt(mcpTasks.expiresAt, sql`now()`)).limit(limit)))
    .returning({ id: mcpTasks.id });
  return gone.length;
}

/** The status of each of these runs of the project that exists. */
export async function getRunStatuses(db: Db, projectId: string, runIds: string[]): Promise<Map<string, RunStatus>> {
  if (runIds.length === 0) return new Map();
  const rows = await db
    .select({ id: runs.id, status: runs.status })
    .from(runs)
    .where(and(eq(runs.projectId, projectId), inArray(runs.id, [...new Set(runIds)])));
  return new Map(rows.map((r) => [r.id, r.status]));
}
