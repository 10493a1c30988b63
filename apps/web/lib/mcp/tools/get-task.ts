import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getRunOnly, getTask, getTaskAttributes, InvalidCursorError, listLogs, type LogView } from "@runtrail/db";
import { z } from "zod";
import { modelName } from "@/lib/otlp/model-name";
import { badId, cursorArg, failure, fieldPage, guarded, preview, runIdArg, taskIdArg, text } from "../fields";
import { duration, jsonText, line, offset as since } from "../text";
import type { ToolContext } from "./context";

/** get_task: one task's details, bounded, with its long fields and logs a page at a time. */

const LOG_PREVIEW = 20;
const LOG_PAGE = 100;

function logLine(l: LogView): string {
  const attrs = l.attributes ? ` ${line(JSON.stringify(l.attributes), 200)}` : "";
  return `- ${l.ts} ${l.level}: ${line(l.message, 300)}${attrs}`;
}

export function registerGetTask(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "get_task",
    {
      title: "Get a task",
      description:
        'One task of a run: status, timings, parent, usage and model, error message and stack, input, output, attributes (OpenTelemetry span attributes) and its first log lines, each cut to a preview. With `field` ("input", "output", "error", "attributes") one of them whole from `offset`; with field "logs" its log lines, 100 a page (`cursor`).',
      inputSchema: {
        runId: runIdArg,
        taskId: taskIdArg,
        field: z.enum(["input", "output", "error", "attributes", "logs"]).optional().describe("Read one field whole (a page at a time)"),
        offset: z.number().int().min(0).optional().describe("Characters to skip in `field`"),
        cursor: cursorArg.optional().describe('field "logs": the cursor the previous page ended with'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ runId, taskId, field, offset, cursor }) => {
      const bad = badId(runId, "runId") ?? badId(taskId, "taskId");
      if (bad) return bad;
      const [run, task, attributes] = await Promise.all([
        getRunOnly(ctx.db, ctx.projectId, runId),
        getTask(ctx.db, ctx.projectId, runId, taskId),
        getTaskAttributes(ctx.db, ctx.projectId, runId, taskId),
      ]);
      if (!run) return failure(`run ${JSON.stringify(runId)} not found in this project`);
      if (!task) return failure(`task ${JSON.stringify(taskId)} not found in run ${runId}`);
      const call = (f: string) => `get_task with runId="${runId}", taskId="${taskId}", field="${f}"`;
      const error = task.errorMessage === null ? "—" : `${task.errorMessage}${task.errorStack ? `\n${task.errorStack}` : ""}`;
      const fields = { input: jsonText(task.input, true), output: jsonText(task.output, true), error, attributes: attributes ? JSON.stringify(attributes, null, 1) : "—" };

      if (field === "logs") {
        try {
          const page = await listLogs(ctx.db, ctx.projectId, runId, { taskId, limit: LOG_PAGE, cursor });
          if (page.data.length === 0) return text(cursor ? "No more log lines." : `Task "${task.name}" logged nothing.`);
          const more = page.nextCursor ? [`More: ${call("logs")}, cursor="${page.nextCursor}".`] : [];
          return text([`Log lines of task "${task.name}":`, ...page.data.map(logLine), ...more].join("\n"));
        } catch (err) {
          if (err instanceof InvalidCursorError) return failure(err.message);
          throw err;
        }
      }
      if (field) return text(fieldPage(`Task ${taskId} ${field}`, fields[field], offset ?? 0, call(field)));

      const logs = await listLogs(ctx.db, ctx.projectId, runId, { taskId, limit: LOG_PREVIEW });
      const model = modelName(attributes);
      const out = [
        `Task "${line(task.name, 200)}" [${task.id}] of run "${line(run.name || "unnamed", 120)}" — ${task.status}`,
        `parent: ${task.parentTaskId ?? "none (top level)"}`,
        `started: ${task.startedAt ?? "—"} (${task.startedAt ? since(run.startedAt, task.startedAt) : "—"} into the run), ended: ${task.endedAt ?? "—"}, took ${task.status === "running" && task.startedAt ? `${duration(Date.now() - Date.parse(task.startedAt))} so far` : duration(task.durationMs)}`,
      ];
      if (task.usage) out.push(`usage: ${task.usage.inputTokens} in / ${task.usage.outputTokens} out tokens${task.usage.costUsd > 0 ? `, $${task.usage.costUsd}` : ""}${model ? `, model ${model}` : ""}`);
      else if (model) out.push(`model: ${model}`);
      if (task.statusMessage) out.push(`status message: ${line(task.statusMessage, 500)}`);
      if (task.progress !== null) out.push(`progress: ${Math.round(task.progress * 100)}%`);
      if (task.errorMessage !== null) out.push("", `error:\n${preview(error, 3000, call("error"))}`);
      out.push("", `input:\n${preview(fields.input, 3000, call("input"))}`, "", `output:\n${preview(fields.output, 3000, call("output"))}`);
      if (attributes) out.push("", `attributes:\n${preview(JSON.stringify(attributes), 2000, call("attributes"))}`);
      out.push("", logs.data.length === 0 ? "logs: none" : `logs (first ${logs.data.length}):\n${logs.data.map(logLine).join("\n")}`);
      if (logs.nextCursor) out.push(`More logs: ${call("logs")}, cursor="${logs.nextCursor}".`);
      return text(out.join("\n"));
    }),
  );
}
