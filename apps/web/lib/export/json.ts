import type { ExportTask, RunView } from "@runtrail/db";

/**
 * The JSON export is one document, `{ "run": {…}, "tasks": [ … ] }`, written a page at a
 * time: the run as GET /api/v1/runs/:id has it, then the tasks in timeline order, each
 * in the API's task shape. Payloads are the stored JSON text, spliced in as they are.
 */
export function jsonHead(run: RunView): string {
  return `{"run":${JSON.stringify(run)},"tasks":[`;
}

export const JSON_TAIL = "]}\n";

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** One task as the API's TaskView, as JSON text (`input`/`output` copied, not re-encoded). */
export function taskJson(t: ExportTask, runId: string): string {
  const reported = t.inputTokens !== null || t.outputTokens !== null || t.costUsd !== null;
  const scalars = (o: Record<string, unknown>) => JSON.stringify(o).slice(1, -1);
  return `{${scalars({ id: t.id, runId, parentTaskId: t.parentTaskId, name: t.name, status: t.status })},"input":${t.input ?? "null"},"output":${t.output ?? "null"},${scalars({
    errorMessage: t.errorMessage,
    errorStack: t.errorStack,
    statusMessage: t.statusMessage,
    progress: t.progress,
    usage: reported ? { inputTokens: t.inputTokens ?? 0, outputTokens: t.outputTokens ?? 0, costUsd: t.costUsd ?? 0 } : null,
    seq: t.seq,
    startedAt: iso(t.startMs),
    endedAt: iso(t.endMs),
    durationMs: t.startMs !== null && t.endMs !== null ? Math.max(0, t.endMs - t.startMs) : null,
    version: t.version,
  })}}`;
}

/** A page of tasks as array items; `first` = nothing before them in the array. */
export function jsonItems(tasks: readonly ExportTask[], runId: string, first: boolean): string {
  if (tasks.length === 0) return "";
  return (first ? "" : ",") + tasks.map((t) => taskJson(t, runId)).join(",");
}
