"use client";

import type { RunView, TaskSummaryView, UsageView } from "@runtrail/db";
import { JsonView } from "@/components/json-view";
import { StatusBadge } from "@/components/status-badge";
import { formatDateTime, formatDuration } from "@/lib/format";
import { useTaskDetail } from "./use-task-detail";

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">{label}</dt>
      <dd className="mt-0.5 text-sm text-zinc-800">{children}</dd>
    </div>
  );
}

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div className="space-y-2">
      <h3 className="text-xs font-semibold text-zinc-500">{title}</h3>
      {children}
    </div>
  );
}

export function ErrorBox({ message, stack }: { message: string | null; stack: string | null }) {
  return (
    <div className="rounded-md border border-rose-200 bg-rose-50 p-3" data-testid="task-error">
      <p className="text-sm font-medium break-words whitespace-pre-wrap text-rose-800">{message || "Failed without a message"}</p>
      {stack && <pre className="mt-2 max-h-64 overflow-auto font-mono text-[11px] leading-relaxed whitespace-pre text-rose-900/80">{stack}</pre>}
    </div>
  );
}

function Skeleton() {
  return (
    <div className="space-y-2 rounded-md bg-zinc-50 p-3" data-testid="task-payload-loading" aria-busy="true">
      <div className="h-3 w-2/3 animate-pulse rounded bg-zinc-200" />
      <div className="h-3 w-1/2 animate-pulse rounded bg-zinc-200" />
      <div className="h-3 w-3/5 animate-pulse rounded bg-zinc-200" />
    </div>
  );
}

/**
 * Everything about the selected task: timings and status from the timeline's (live)
 * copy at once; input, output and the error stack fetched for this task alone.
 */
export function TaskPanel({ run, task, now, onClose }: { run: RunView; task: TaskSummaryView; now: number; onClose: () => void }) {
  const detail = useTaskDetail(run.id, task);
  const full = detail.state === "error" ? null : detail.task;
  const offset = task.startedAt ? Date.parse(task.startedAt) - Date.parse(run.startedAt) : null;
  const duration = task.status === "running" && task.startedAt ? now - Date.parse(task.startedAt) : task.durationMs;
  return (
    <aside className="space-y-5 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm" aria-label="Task details" data-testid="task-panel">
      <div className="flex items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Task</p>
          <h2 className="mt-0.5 truncate text-lg font-semibold" title={task.name}>
            {task.name || "unnamed"}
          </h2>
        </div>
        <div className="flex items-center gap-2">
          <StatusBadge status={task.status} />
          <button type="button" onClick={onClose} aria-label="Close task details" className="rounded p-1 text-zinc-400 hover:bg-zinc-100 hover:text-zinc-700">
            <svg viewBox="0 0 16 16" className="size-4" aria-hidden="true">
              <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" />
            </svg>
          </button>
        </div>
      </div>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
        <Field label="Duration">{formatDuration(duration)}</Field>
        <Field label="Starts at">{offset === null ? "—" : `+${formatDuration(offset)}`}</Field>
        <Field label="Started">{task.startedAt ? formatDateTime(task.startedAt) : "not yet received"}</Field>
        <Field label="Ended">{task.endedAt ? formatDateTime(task.endedAt) : "—"}</Field>
        <Field label="Task ID">
          <span className="font-mono text-xs break-all">{task.id}</span>
        </Field>
        {task.parentTaskId && (
          <Field label="Parent">
            <span className="font-mono text-xs break-all">{task.parentTaskId}</span>
          </Field>
        )}
        {task.usage && <UsageFields usage={task.usage} />}
      </dl>
      {task.statusMessage && task.status !== "running" && (
        <p className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
          <span className="text-zinc-400">{task.status === "skipped" || task.status === "cancelled" ? "Reason: " : "Last status: "}</span>
          {task.statusMessage}
        </p>
      )}
      {task.status === "running" && (task.statusMessage || task.progress !== null) && (
        <div className="space-y-2 rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
          {task.statusMessage && <p>{task.statusMessage}</p>}
          {task.progress !== null && (
            <div className="flex items-center gap-2" title={`${Math.round(task.progress * 100)}% done`}>
              <div className="h-1.5 flex-1 overflow-hidden rounded-full bg-zinc-200">
                <div className="h-full rounded-full bg-run-running" style={{ width: `${Math.round(task.progress * 100)}%` }} />
              </div>
              <span className="text-xs tabular-nums text-zinc-500">{Math.round(task.progress * 100)}%</span>
            </div>
          )}
        </div>
      )}
      {task.status === "failed" && (
        <Section title="Error">
          <ErrorBox message={full?.errorMessage ?? task.errorMessage} stack={full?.errorStack ?? null} />
        </Section>
      )}
      {detail.state === "error" && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900">Could not load this task's input and output ({detail.message}).</p>
      )}
      <Section title="Input">{full ? <JsonView value={full.input} /> : detail.state === "loading" && <Skeleton />}</Section>
      <Section title="Output">{full ? <JsonView value={full.output} /> : detail.state === "loading" && <Skeleton />}</Section>
    </aside>
  );
}

function UsageFields({ usage }: { usage: UsageView }) {
  const tokens = new Intl.NumberFormat("en-US");
  return (
    <>
      <Field label="Tokens in / out">
        <span className="tabular-nums">
          {tokens.format(usage.inputTokens)} / {tokens.format(usage.outputTokens)}
        </span>
      </Field>
      <Field label="Cost">
        <span className="tabular-nums">${usage.costUsd < 0.01 && usage.costUsd > 0 ? usage.costUsd.toPrecision(2) : usage.costUsd.toFixed(2)}</span>
      </Field>
    </>
  );
}

/** Shown while no task is selected: the run's own input, output and metadata. */
export function RunPanel({ run }: { run: RunView }) {
  return (
    <aside className="space-y-5 rounded-xl border border-zinc-200 bg-white p-5 shadow-sm" aria-label="Run details">
      <div>
        <p className="text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Run</p>
        <p className="mt-1 text-sm text-zinc-500">Select a task on the timeline to see its input, output and error.</p>
      </div>
      {(run.status === "failed" || run.status === "timed_out" || run.status === "cancelled") && run.errorMessage && (
        <Section title={run.status === "failed" ? "Error" : run.status === "timed_out" ? "Timed out" : "Cancelled"}>
          {run.status === "failed" ? (
            <ErrorBox message={run.errorMessage} stack={run.errorStack} />
          ) : (
            <p className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm break-words whitespace-pre-wrap text-amber-900">{run.errorMessage}</p>
          )}
        </Section>
      )}
      {(run.usage.inputTokens > 0 || run.usage.outputTokens > 0 || run.usage.costUsd > 0) && (
        <dl className="grid grid-cols-2 gap-x-4 gap-y-3">
          <UsageFields usage={run.usage} />
        </dl>
      )}
      <Section title="Input">
        <JsonView value={run.input} />
      </Section>
      <Section title="Output">
        <JsonView value={run.output} />
      </Section>
      {Object.keys(run.metadata).length > 0 && (
        <Section title="Metadata">
          <JsonView value={run.metadata} />
        </Section>
      )}
    </aside>
  );
}
