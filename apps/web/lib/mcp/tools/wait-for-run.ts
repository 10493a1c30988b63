import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { type CallToolResult, ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { getRunStatuses } from "@runtrail/db";
import { z } from "zod";
import { unstorable } from "@/lib/ingest/sanitize";
import { runIdArg } from "../fields";
import { POLL_INTERVAL_MS, type WaitContext } from "../task-store";
import type { ToolContext } from "./context";

const DEFAULT_WAIT_S = 300;
const MAX_WAIT_S = 3600;

/**
 * wait_for_run: waits until a run ends, then answers with its outline. Best called as
 * an MCP task (tasks/get to poll, tasks/result for the outline, tasks/cancel to stop
 * waiting); called plainly it holds the request until then. No worker runs meanwhile:
 * the task store looks at the run whenever the task is read (task-store.ts).
 */
export function registerWaitForRun(server: McpServer, ctx: ToolContext): void {
  server.experimental.tasks.registerToolTask(
    "wait_for_run",
    {
      title: "Wait for a run to end",
      description: `Waits until a run has ended (completed, failed, cancelled or timed out), then gives its outline, as get_run does. Call it as a task to poll it (tasks/get, every pollInterval), fetch the outline (tasks/result), list (tasks/list) or stop waiting (tasks/cancel: the run itself goes on). Gives up after timeoutSeconds (default ${DEFAULT_WAIT_S}, at most ${MAX_WAIT_S}) and answers with the run as it is then.`,
      inputSchema: {
        runId: runIdArg,
        timeoutSeconds: z.number().int().min(1).max(MAX_WAIT_S).optional().describe(`Stop waiting after this long (default ${DEFAULT_WAIT_S})`),
      },
      execution: { taskSupport: "optional" },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    {
      async createTask({ runId, timeoutSeconds }, extra) {
        const why = unstorable(runId);
        if (why) throw new McpError(ErrorCode.InvalidParams, `runId: ${why}`);
        if (!(await getRunStatuses(ctx.db, ctx.projectId, [runId])).has(runId)) {
          throw new McpError(ErrorCode.InvalidParams, `run ${JSON.stringify(runId)} not found in this project`);
        }
        const context: WaitContext = { runId, waitMs: (timeoutSeconds ?? DEFAULT_WAIT_S) * 1000 };
        const task = await extra.taskStore.createTask({ ttl: extra.taskRequestedTtl, pollInterval: POLL_INTERVAL_MS, context: { ...context } });
        return { task };
      },
      async getTask(_args, extra) {
        const task = await extra.taskStore.getTask(extra.taskId);
        if (!task) throw new McpError(ErrorCode.InvalidParams, `task ${extra.taskId}: not found`);
        return task;
      },
      async getTaskResult(_args, extra) {
        return (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult;
      },
    },
  );
}
