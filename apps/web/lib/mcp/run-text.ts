import type { OutlineTask, RunOutline, RunSummaryView, TimelineTask } from "@runtrail/db";
import { cut, duration, jsonText, line, offset, plural } from "./text";

/** Runs and their tasks as MCP tool results show them: a few lines each, bounded. */

function counts(c: RunSummaryView["taskCounts"]): string {
  const parts = [`${c.completed} completed`];
  for (const [n, label] of [
    [c.failed, "failed"],
    [c.running, "running"],
    [c.cancelled, "cancelled"],
    [c.skipped, "skipped"],
  ] as const) {
    if (n > 0) parts.push(`${n} ${label}`);
  }
  return `${plural(c.total, "task")} (${parts.join(", ")})`;
}

function usage(u: RunSummaryView["usage"]): string | null {
  if (u.inputTokens === 0 && u.outputTokens === 0 && u.costUsd === 0) return null;
  return `${u.inputTokens.toLocaleString("en-US")} in / ${u.outputTokens.toLocaleString("en-US")} out tokens${u.costUsd > 0 ? `, $${u.costUsd}` : ""}`;
}

/** How long a run took, or has been running. */
function runTime(r: RunSummaryView, now: number): string {
  if (r.status === "running" || r.status === ("waiting" as string)) return `${r.status} for ${duration(now - Date.parse(r.startedAt))}`;
  return `${r.status} after ${duration(r.durationMs)}`;
}

/** One run in a list: id, name, status and time, counts, the head of its error. */
export function runLine(r: RunSummaryView, now = Date.now()): string {
  const tags = r.tags.length > 0 ? ` [${r.tags.slice(0, 5).join(", ")}]` : "";
  const error = r.errorMessage ? `\n  error: ${line(r.errorMessage, 200)}` : "";
  return `- ${r.id} "${line(r.name || "unnamed", 120)}"${tags}: ${runTime(r, now)}, started ${r.startedAt}; ${counts(r.taskCounts)}${error}`;
}

/** Where a task sits: its parent's name (or id). */
function where(t: OutlineTask): string {
  if (t.parentName) return ` in "${line(t.parentName, 60)}"`;
  return t.parentTaskId ? ` (parent ${t.parentTaskId})` : "";
}

function outlineTaskLine(t: OutlineTask, runStart: string): string {
  const at = t.startedAt ? offset(runStart, t.startedAt) : "not started";
  const error = t.errorMessage ? `: ${line(t.errorMessage, 240)}` : "";
  return `- "${line(t.name, 80)}" [${t.id}]${where(t)}, starts ${at}, took ${duration(t.durationMs)}${error}`;
}

/** get_run's first answer: the run, then what failed, what still runs and where the time went. */
export function outlineText(o: RunOutline, now = Date.now()): string {
  const r = o.run;
  const out: string[] = [];
  out.push(`Run "${line(r.name || "unnamed", 200)}" — ${runTime(r, now)}`);
  out.push(`id: ${r.id}`);
  out.push(`started: ${r.startedAt}${r.endedAt ? `, ended: ${r.endedAt}` : ""}`);
  out.push(`tasks: ${counts(r.taskCounts)}${r.logCount > 0 ? `; ${plural(r.logCount, "log line")}` : ""}`);
  const u = usage(r.usage);
  if (u) out.push(`usage: ${u}`);
  if (r.errorMessage) out.push(`error: ${cut(r.errorMessage, 1000)}`);
  if (r.tags.length > 0) out.push(`tags: ${r.tags.join(", ")}`);
  if (r.parentRunId) out.push(`parent run: ${r.parentRunId}`);
  if (Object.keys(r.metadata).length > 0) out.push(`metadata: ${cut(jsonText(r.metadata), 500, 'get_run with view="run" shows it whole')}`);
  out.push(`input: ${cut(jsonText(r.input), 500, 'get_run with view="run" shows it whole')}`);
  out.push(`output: ${cut(jsonText(r.output), 500, 'get_run with view="run" shows it whole')}`);

  if (o.failed.length > 0) {
    out.push("", `Failed tasks (${r.taskCounts.failed}; the first ${o.failed.length} to fail, by end time):`);
    for (const t of o.failed) out.push(outlineTaskLine(t, r.startedAt));
  }
  if (o.running.length > 0) {
    out.push("", `Still running (${r.taskCounts.running}; the first ${o.running.length} by start):`);
    for (const t of o.running) out.push(outlineTaskLine(t, r.startedAt));
  }
  if (o.names.length > 0) {
    out.push("", `Where the time went (task names by their tasks' summed time${o.nameCount > o.names.length ? `; top ${o.names.length} of ${o.nameCount}` : ""}):`);
    for (const n of o.names) {
      const many = n.count > 1 ? `, ${n.count} tasks, longest ${duration(n.maxMs)}` : "";
      out.push(`- "${line(n.name, 80)}": ${duration(n.totalMs)}${many}${n.failed > 0 ? `, ${n.failed} failed` : ""}`);
    }
  }
  if (o.slowest.length > 1) {
    out.push("", "Longest tasks:");
    for (const t of o.slowest) out.push(outlineTaskLine({ ...t, errorMessage: null }, r.startedAt));
  }
  out.push(
    "",
    'More: get_run with view="tasks" lists the tasks in timeline order (a page at a time); view="run" shows the run\'s input, output and metadata whole; get_task shows one task\'s input, output, error stack, attributes and logs.',
  );
  return out.join("\n");
}

/** get_run view="tasks": one line per task in timeline order. */
export function taskLines(tasks: TimelineTask[], runStart: string): string[] {
  const start = Date.parse(runStart);
  return tasks.map((t) => {
    const at = t.startMs === null ? "not started" : offset(new Date(start), new Date(t.startMs));
    const took = t.startMs !== null && t.endMs !== null ? duration(t.endMs - t.startMs) : t.status === "running" ? "running" : "—";
    const parent = t.parentTaskId ? ` parent ${t.parentTaskId}` : "";
    const error = t.errorMessage ? `: ${line(t.errorMessage, 160)}` : t.statusMessage ? ` (${line(t.statusMessage, 100)})` : "";
    return `- ${t.id} "${line(t.name, 80)}" ${t.status}, starts ${at}, took ${took}${parent}${error}`;
  });
}
