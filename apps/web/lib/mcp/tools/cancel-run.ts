import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { endRun } from "@runtrail/db";
import { z } from "zod";
import { storableText } from "@/lib/ingest/sanitize";
import { notifyRuns } from "@/lib/live/hub";
import { badId, failure, guarded, runIdArg, text } from "../fields";
import type { ToolContext } from "./context";

/** cancel_run: the API's POST /runs/:id/cancel, for an agent. */
export function registerCancelRun(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "cancel_run",
    {
      title: "Cancel a run",
      description:
        "Cancels a running run and its running tasks, with an optional reason shown as the run's error. The instrumented process learns of it from its next batch or heartbeat (run.signal aborts). Only a running run can be cancelled.",
      inputSchema: { runId: runIdArg, reason: z.string().max(1000).optional().describe("Why, shown on the run and its cancelled tasks") },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    guarded(async ({ runId, reason }) => {
      const bad = badId(runId, "runId");
      if (bad) return bad;
      const result = await endRun(ctx.db, ctx.projectId, runId, { kind: "cancel", reason: reason === undefined ? undefined : storableText(reason) });
      if (!result.ok) {
        if (result.reason === "already_finished") return failure(`run ${runId} is already ${result.status}; only a running run can be cancelled`);
        return failure(`run ${JSON.stringify(runId)} not found in this project`);
      }
      notifyRuns(ctx.projectId, [runId]);
      const c = result.run.taskCounts;
      return text(`Cancelled run "${result.run.name || "unnamed"}" (${runId})${reason ? `: ${reason}` : ""}. ${c.cancelled} running task(s) were cancelled with it; ${c.completed} had completed, ${c.failed} failed.`);
    }),
  );
}
