import { randomUUID } from "node:crypto";
import type { CreateTaskOptions, TaskStore } from "@modelcontextprotocol/sdk/experimental/tasks";
import type { CallToolResult, Request, RequestId, Result, Task } from "@modelcontextprotocol/sdk/types.js";
import {
  createMcpTask,
  type Db,
  getMcpTask,
  getRunOutline,
  getRunStatuses,
  listMcpTasks,
  type McpTask,
  purgeMcpTasks,
  type RunStatus,
  settleMcpTask,
} from "@runtrail/db";
import { outlineText } from "./run-text";
import { duration } from "./text";

/**
 * MCP tasks kept in Postgres (`mcp_tasks`), so a task made on one replica is polled,
 * listed, fetched and cancelled on any other, and survives a restart. A wait_for_run
 * task has no worker: each read looks at its run and ends the task when the run has
 * ended or the wait is over. Bound to the API key that made it (the authorization
 * context, as the spec asks): another key, even of the same project, finds nothing.
 */

export interface TaskOwner {
  projectId: string;
  keyId: string;
}

/** What wait_for_run hands to createTask. */
export interface WaitContext {
  runId: string;
  waitMs: number;
}

export const DEFAULT_TTL_MS = 60 * 60_000;
export const MAX_TTL_MS = 24 * 60 * 60_000;
export const POLL_INTERVAL_MS = 1000;
const PAGE = 50;

/** A run that can still change (`waiting` arrives with run input requests). */
export const runIsOpen = (status: RunStatus | string): boolean => status === "running" || status === "waiting";

function toTask(row: McpTask): Task {
  return {
    taskId: row.id,
    status: row.status,
    ...(row.statusMessage ? { statusMessage: describe(row) } : {}),
    createdAt: row.createdAt.toISOString(),
    lastUpdatedAt: row.updatedAt.toISOString(),
    ttl: row.ttlMs,
    pollInterval: row.pollIntervalMs,
  };
}

/** The reason a task ended, in words. */
function describe(row: McpTask): string {
  switch (row.statusMessage) {
    case "run_ended":
      return `run ${row.runId} has ended`;
    case "wait_timed_out":
      return `stopped waiting after ${duration(row.waitUntil.getTime() - row.createdAt.getTime())}; run ${row.runId} was still open`;
    case "run_missing":
      return `run ${row.runId} no longer exists`;
    default:
      return row.statusMessage ?? "";
  }
}

function cursorOf(row: McpTask): string {
  return Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString("base64url");
}

function parseCursor(cursor: string): { createdAt: Date; id: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && typeof v[0] === "string" && typeof v[1] === "string" && /^[0-9a-f-]{36}$/.test(v[1])) {
      const createdAt = new Date(v[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: v[1] };
    }
  } catch {
    // fall through
  }
  throw new Error("cursor: not a cursor this server returned");
}

export class RunTaskStore implements TaskStore {
  constructor(
    private readonly db: Db,
    private readonly owner: TaskOwner,
  ) {}

  async createTask(params: CreateTaskOptions, _requestId: RequestId, request: Request): Promise<Task> {
    const context = params.context as Partial<WaitContext> | undefined;
    if (typeof context?.runId !== "string" || typeof context.waitMs !== "number") throw new Error("createTask: wait_for_run passes { runId, waitMs }");
    // The spec lets a receiver choose the TTL: at most a day, none means an hour.
    const ttl = Math.min(Math.max(params.ttl ?? DEFAULT_TTL_MS, 1000), MAX_TTL_MS);
    // Expired tasks go a few hundred at a time, when new ones come.
    await purgeMcpTasks(this.db);
    const row = await createMcpTask(this.db, {
      id: randomUUID(),
      keyId: this.owner.keyId,
      projectId: this.owner.projectId,
      tool: typeof request.params?.name === "string" ? request.params.name : request.method,
      runId: context.runId,
      waitMs: Math.min(context.waitMs, ttl),
      ttlMs: ttl,
      pollIntervalMs: POLL_INTERVAL_MS,
    });
    return toTask(row);
  }

  async getTask(taskId: string): Promise<Task | null> {
    const row = await getMcpTask(this.db, this.owner.keyId, taskId);
    if (!row) return null;
    const [fresh] = await this.refresh([row]);
    return fresh ? toTask(fresh) : null;
  }

  async storeTaskResult(taskId: string, status: "completed" | "failed", result: Result): Promise<void> {
    await settleMcpTask(this.db, this.owner.keyId, taskId, { status, result });
  }

  async getTaskResult(taskId: string): Promise<Result> {
    const row = await getMcpTask(this.db, this.owner.keyId, taskId);
    if (!row) throw new Error(`task ${taskId}: not found`);
    if (row.result) return row.result;
    return this.waitResult(row);
  }

  async updateTaskStatus(taskId: string, status: Task["status"], statusMessage?: string): Promise<void> {
    await settleMcpTask(this.db, this.owner.keyId, taskId, { status, statusMessage: statusMessage ?? null });
  }

  async listTasks(cursor?: string): Promise<{ tasks: Task[]; nextCursor?: string }> {
    const rows = await listMcpTasks(this.db, this.owner.keyId, { after: cursor ? parseCursor(cursor) : undefined, limit: PAGE + 1 });
    const page = await this.refresh(rows.slice(0, PAGE));
    const last = page[page.length - 1];
    return { tasks: page.map(toTask), ...(rows.length > PAGE && last ? { nextCursor: cursorOf(last) } : {}) };
  }

  /** Ends the working tasks among `rows` whose run has ended (or is gone) or whose wait is over. */
  private async refresh(rows: McpTask[]): Promise<McpTask[]> {
    const working = rows.filter((r) => r.status === "working");
    if (working.length === 0) return rows;
    const statuses = await getRunStatuses(this.db, this.owner.projectId, working.map((r) => r.runId));
    const settled = new Map<string, McpTask>();
    for (const row of working) {
      const status = statuses.get(row.runId);
      const outcome = status === undefined ? "run_missing" : !runIsOpen(status) ? "run_ended" : row.waitOver ? "wait_timed_out" : null;
      if (!outcome) continue;
      const after = await settleMcpTask(this.db, this.owner.keyId, row.id, { status: outcome === "run_missing" ? "failed" : "completed", statusMessage: outcome });
      if (after) settled.set(row.id, after);
    }
    return rows.map((r) => settled.get(r.id) ?? r);
  }

  /** wait_for_run's result, made when asked: the run's outline as it is now. */
  private async waitResult(row: McpTask): Promise<CallToolResult> {
    if (row.status === "cancelled") {
      return { content: [{ type: "text", text: `This wait was cancelled${row.statusMessage ? ` (${row.statusMessage})` : ""}. Run ${row.runId} itself was not cancelled: cancel_run does that.` }] };
    }
    const outline = await getRunOutline(this.db, this.owner.projectId, row.runId);
    if (!outline) return { content: [{ type: "text", text: `Run ${row.runId} no longer exists (it may have been deleted by retention).` }], isError: true };
    const note = row.statusMessage === "wait_timed_out" ? `${describe(row)}. Its state now:\n\n` : "";
    return { content: [{ type: "text", text: `${note}${outlineText(outline)}` }] };
  }
}
