import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { getRunOnly, getRunOutline, InvalidCursorError, InvalidTimelineCursorError, listRuns, listTimelineTasks, RUN_STATUSES, type RunFilter } from "@runtrail/db";
import { z } from "zod";
import { env } from "@/lib/env";
import { badId, cursorArg, failure, fieldPage, filterText, guarded, preview, runIdArg, text, timeArg } from "../fields";
import { outlineText, runLine, taskLines } from "../run-text";
import { jsonText } from "../text";
import type { ToolContext } from "./context";

/** list_runs, search_runs and get_run: reading runs, a bounded page at a time. */

const limitArg = (max: number, dflt: number) => z.number().int().min(1).max(max).optional().describe(`How many (1..${max}, default ${dflt})`);
const statusArg = z.enum(RUN_STATUSES).optional().describe(`Only runs in this status: ${RUN_STATUSES.join(", ")}`);

async function runPage(ctx: ToolContext, filter: RunFilter, title: string): Promise<CallToolResult> {
  try {
    const page = await listRuns(ctx.db, ctx.projectId, filter);
    if (page.data.length === 0) return text(filter.cursor ? "No more runs." : "No runs match.");
    const lines = [title, ...page.data.map((r) => runLine(r))];
    if (page.nextCursor) lines.push(`More: call again with cursor="${page.nextCursor}".`);
    lines.push("get_run with a run's id gives its outline: what failed, what still runs and where the time went.");
    return text(lines.join("\n"));
  } catch (err) {
    if (err instanceof InvalidCursorError) return failure(err.message);
    throw err;
  }
}

export function registerRunReads(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    "list_runs",
    {
      title: "List runs",
      description: "The project's most recent runs, newest first: id, name, status, start, duration, task counts and the head of the error. Pages of up to 50.",
      inputSchema: { status: statusArg, limit: limitArg(50, 20), cursor: cursorArg.optional() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ status, limit, cursor }) => runPage(ctx, { status, limit: limit ?? 20, cursor }, status ? `Runs with status ${status}, newest first:` : "Runs, newest first:")),
  );

  server.registerTool(
    "search_runs",
    {
      title: "Search runs",
      description:
        "Find runs by name (case-insensitive prefix), tag, status and start time. It does not search inside tasks, inputs, outputs or logs yet (full-text search is not built); runs sent over OpenTelemetry carry the tag `otlp`.",
      inputSchema: {
        name: z.string().min(1).max(env.limits.nameChars).optional().describe("Runs whose name starts with this, ignoring case"),
        tag: z.string().min(1).max(env.limits.tagChars).optional().describe("Runs with this tag"),
        status: statusArg,
        from: z.string().max(64).optional().describe("Runs started at or after this ISO-8601 time"),
        to: z.string().max(64).optional().describe("Runs started before this ISO-8601 time"),
        limit: limitArg(50, 20),
        cursor: cursorArg.optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ name, tag, status, from, to, limit, cursor }) => {
      const start = timeArg(from, "from");
      if (!start.ok) return start.result;
      const end = timeArg(to, "to");
      if (!end.ok) return end.result;
      const said = [name && `name starting "${name}"`, tag && `tag ${tag}`, status && `status ${status}`, from && `from ${from}`, to && `before ${to}`].filter(Boolean);
      return runPage(
        ctx,
        { q: filterText(name), tag: filterText(tag), status, from: start.date, to: end.date, limit: limit ?? 20, cursor },
        `Runs${said.length > 0 ? ` with ${said.join(", ")}` : ""}, newest first:`,
      );
    }),
  );

  server.registerTool(
    "get_run",
    {
      title: "Get a run",
      description:
        'One run. view "outline" (default): status, timings, counts, usage, error, the failed and still-running tasks (with where they sit), and which tasks took the time. view "tasks": every task in timeline order, a page at a time. view "run": the run\'s input, output, metadata and error stack whole; with `field` one of them from `offset`, for long values.',
      inputSchema: {
        runId: runIdArg,
        view: z.enum(["outline", "tasks", "run"]).optional().describe("outline (default), tasks or run"),
        limit: limitArg(200, 100),
        cursor: cursorArg.optional().describe('view "tasks": the cursor the previous page ended with'),
        field: z.enum(["input", "output", "metadata", "errorStack"]).optional().describe('view "run": one field, read from `offset`'),
        offset: z.number().int().min(0).optional().describe("Characters to skip in `field`"),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    guarded(async ({ runId, view, limit, cursor, field, offset }) => {
      const bad = badId(runId, "runId");
      if (bad) return bad;
      const notFound = failure(`run ${JSON.stringify(runId)} not found in this project`);
      if (!view || view === "outline") {
        const outline = await getRunOutline(ctx.db, ctx.projectId, runId);
        return outline ? text(outlineText(outline)) : notFound;
      }
      const run = await getRunOnly(ctx.db, ctx.projectId, runId);
      if (!run) return notFound;
      if (view === "tasks") {
        try {
          const page = await listTimelineTasks(ctx.db, ctx.projectId, runId, { after: cursor, limit: limit ?? 100 });
          const head = `Tasks of run "${run.name || "unnamed"}" (${run.taskCounts.total} in all) in timeline order; times from the run's start:`;
          const more = page.next ? [`More: get_run with runId="${runId}", view="tasks", cursor="${page.next}".`] : [];
          return text([head, ...taskLines(page.tasks, run.startedAt), ...more].join("\n"));
        } catch (err) {
          if (err instanceof InvalidTimelineCursorError) return failure("cursor: not a cursor this server returned");
          throw err;
        }
      }
      const fields = { input: jsonText(run.input, true), output: jsonText(run.output, true), metadata: jsonText(run.metadata, true), errorStack: run.errorStack ?? "—" };
      const call = (f: string) => `get_run with runId="${runId}", view="run", field="${f}"`;
      if (field) return text(fieldPage(`Run ${runId} ${field}`, fields[field], offset ?? 0, call(field)));
      const parts = Object.entries(fields).map(([f, body]) => `${f}:\n${preview(body, 4000, call(f))}`);
      return text([`Run "${run.name || "unnamed"}" (${run.id}), ${run.status}:`, ...parts].join("\n\n"));
    }),
  );
}
