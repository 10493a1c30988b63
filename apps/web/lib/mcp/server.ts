import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { RunTaskStore } from "./task-store";
import { registerCancelRun } from "./tools/cancel-run";
import type { ToolContext } from "./tools/context";
import { registerGetTask } from "./tools/get-task";
import { registerRunReads } from "./tools/read-runs";
import { registerWaitForRun } from "./tools/wait-for-run";

const INSTRUCTIONS = `Runtrail records runs (an agent's or pipeline's executions) made of tasks, drawn as a timeline. Start with list_runs or search_runs, then get_run for a run's outline (what failed, what is still running, where the time went) and get_task for one task's input, output, error and logs. Long values are cut with a marker that says which call reads the rest. wait_for_run waits for a run to end (best called as a task); cancel_run stops one.`;

/**
 * An MCP server for one request, scoped to the API key's project. Stateless (a new one
 * per request): everything that must outlive a request, the tasks, lives in Postgres.
 */
export function buildMcpServer(ctx: ToolContext): McpServer {
  const server = new McpServer(
    { name: "runtrail", title: "Runtrail", version: "0.1.0" },
    {
      capabilities: { tools: {}, tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } },
      taskStore: new RunTaskStore(ctx.db, ctx),
      instructions: INSTRUCTIONS,
    },
  );
  registerRunReads(server, ctx);
  registerGetTask(server, ctx);
  registerCancelRun(server, ctx);
  registerWaitForRun(server, ctx);
  return server;
}
