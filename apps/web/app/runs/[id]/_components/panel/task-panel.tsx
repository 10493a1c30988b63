"use client";

import type { RunView, TaskSummaryView } from "@runtrail/db";
import { CopyButton } from "@/components/copy-button";
import { JsonView } from "@/components/json-view";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime, formatDuration } from "@/lib/format";
import { modelName } from "@/lib/otlp/model-name";
import { ErrorBox } from "./error-box";
import { LogList } from "./log-list";
import { Field, Progress, Section, Skeleton, UsageFields } from "./panel-parts";
import { useTaskDetail } from "./use-task-detail";

const BUTTON = "rounded-md px-2 py-1 text-xs font-medium text-zinc-600 ring-1 ring-zinc-200 hover:bg-zinc-50 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-sky-500";

/** The page's address with `?task=<id>`: a link to this run with this task open. */
function taskLink(taskId: string): string {
  const url = new URL(window.location.href);
  url.search = "";
  url.hash = "";
  url.searchParams.set("task", taskId);
  return url.toString();
}

interface Props {
  run: RunView;
  task: TaskSummaryView;
  /** The task's parent, when it has one and the page holds it. */
  parent: TaskSummaryView | null;
  now: number;
  onSelect: (id: string | null) => void;
}

/**
 * Everything about the selected task: timings and status from the timeline's (live)
 * copy at once; input, output and the error stack fetched for this task alone; its
 * log lines fetched when it is selected.
 */
export function TaskPanel({ run, task, parent, now, onSelect }: Props) {
  const detail = useTaskDetail(run.id, task);
  const full = detail.state === "error" ? null : detail.task;
  const attributes = detail.state === "error" ? null : detail.attributes;
  const model = modelName(attributes);
  const runStart = Date.parse(run.startedAt);
  const started = task.startedAt ? Date.parse(task.startedAt) : null;
  const offset = started === null ? null : started - runStart;
  const duration = task.status === "running" && started !== null ? now - started : task.durationMs;
  return (
    <aside className="space-y-5 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm" aria-label="Task details" data-testid="task-panel">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Task</p>
          <h2 className="mt-0.5 truncate text-lg font-semibold" title={task.name}>
            {task.name || "unnamed"}
          </h2>
        </div>
        <div className="flex shrink-0 items-center gap-2">
          <StatusBadge status={task.status} />
          <button type="button" onClick={() => onSelect(null)} aria-label="Close task details" className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700">
            <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" />
            </svg>
          </button>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
        <Field label="Duration">
          <span className="tabular-nums">{formatDuration(duration)}</span>
          {task.status === "running" && <span className="text-zinc-400"> so far</span>}
        </Field>
        <Field label="Starts at">
          <span className="tabular-nums" title="Offset from the run's start">
            {offset === null ? "—" : `+${formatDuration(Math.max(offset, 0))}`}
          </span>
        </Field>
        <Field label="Started">{task.startedAt ? formatDateTime(task.startedAt) : "not yet received"}</Field>
        <Field label="Ended">{task.endedAt ? formatDateTime(task.endedAt) : task.status === "running" ? "running" : "—"}</Field>
        {task.usage && <UsageFields usage={task.usage} />}
        {model && (
          <Field label="Model">
            <span className="font-mono text-xs break-all" data-testid="task-model">
              {model}
            </span>
          </Field>
        )}
        {task.parentTaskId && (
          <Field label="Parent">
            <button
              type="button"
              onClick={() => task.parentTaskId && onSelect(task.parentTaskId)}
              className="max-w-full truncate text-left text-sky-700 hover:underline"
              title={`Select the parent task (${task.parentTaskId})`}
              data-testid="parent-task"
            >
              {parent?.name || task.parentTaskId}
            </button>
          </Field>
        )}
        <Field label="Task ID">
          <span className="font-mono text-xs break-all">{task.id}</span>
        </Field>
      </dl>
      <div className="flex flex-wrap gap-2">
        <CopyButton text={() => taskLink(task.id)} label="Copy a link to this task" className={BUTTON}>
          Copy link
        </CopyButton>
      </div>
      {(task.statusMessage || task.progress !== null) && (
        <div className="space-y-2 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700" data-testid="task-status">
          {task.statusMessage && (
            <p className="break-words whitespace-pre-wrap">
              <span className="text-zinc-400">{task.status === "skipped" || task.status === "cancelled" ? "Reason: " : task.status === "running" ? "" : "Last status: "}</span>
              {task.statusMessage}
            </p>
          )}
          {task.progress !== null && <Progress value={task.progress} />}
        </div>
      )}
      {task.status === "failed" && (
        <Section title="Error">
          <ErrorBox message={full?.errorMessage ?? task.errorMessage} stack={full?.errorStack ?? null} loading={detail.state === "loading"} />
        </Section>
      )}
      {detail.state === "error" && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Could not load this task's input and output ({detail.message}).</p>
      )}
      <Section title="Input">{full ? <JsonView value={full.input} label="input" /> : detail.state === "loading" && <Skeleton />}</Section>
      <Section title="Output">{full ? <JsonView value={full.output} label="output" /> : detail.state === "loading" && <Skeleton />}</Section>
      {attributes && Object.keys(attributes).length > 0 && (
        <Section title="Span attributes">
          <div data-testid="span-attributes">
            <JsonView value={attributes} label="span attributes" />
          </div>
        </Section>
      )}
      <Section title="Logs">
        <LogList runId={run.id} scope={{ taskId: task.id }} revision={run.logCount} since={started ?? runStart} empty="This task logged nothing." />
      </Section>
    </aside>
  );
}
