"use client";

import type { RunView, TaskSummaryView } from "@runtrail/db";
import { useMemo, useState } from "react";
import { STATUS_STYLE } from "@/components/status";
import { formatDuration } from "@/lib/format";
import { flattenTasks } from "./task-tree";
import { place, tickLabel, ticks, tickStep } from "./timeline-scale";

interface Props {
  run: RunView;
  tasks: readonly TaskSummaryView[];
  now: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

const LEGEND = ["running", "completed", "failed", "skipped", "cancelled"] as const;

/** Bounds of the axis: the run's start to its end (or now, while anything still runs). */
function axis(run: RunView, tasks: readonly TaskSummaryView[], now: number) {
  let t0 = Date.parse(run.startedAt);
  let t1 = run.endedAt ? Date.parse(run.endedAt) : now;
  for (const t of tasks) {
    const s = t.startedAt ? Date.parse(t.startedAt) : null;
    const e = t.endedAt ? Date.parse(t.endedAt) : t.status === "running" ? now : s;
    if (s !== null && s < t0) t0 = s;
    if (e !== null && e > t1) t1 = e;
  }
  return { t0, span: Math.max(t1 - t0, 1) };
}

export function Timeline({ run, tasks, now, selectedId, onSelect }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const rows = useMemo(() => flattenTasks(tasks, collapsed), [tasks, collapsed]);
  const { t0, span } = axis(run, tasks, now);
  const step = tickStep(span);
  const marks = ticks(span);

  const toggle = (id: string) =>
    setCollapsed((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const move = (delta: number) => {
    const i = rows.findIndex((r) => r.task.id === selectedId);
    const next = rows[Math.min(Math.max(i + delta, 0), rows.length - 1)];
    if (next) onSelect(next.task.id);
  };

  return (
    <section className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm" aria-label="Timeline">
      <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-3">
        <h2 className="text-sm font-semibold">
          Timeline <span className="ml-1 font-normal text-zinc-400">{tasks.length} tasks</span>
        </h2>
        <ul className="flex items-center gap-4 text-xs text-zinc-500">
          {LEGEND.map((s) => (
            <li key={s} className="flex items-center gap-1.5">
              <span className={`h-2 w-3.5 rounded-sm ${STATUS_STYLE[s].bar}`} />
              {STATUS_STYLE[s].label}
            </li>
          ))}
        </ul>
      </div>
      {tasks.length === 0 ? (
        <p className="px-4 py-12 text-center text-sm text-zinc-500">This run has recorded no tasks yet.</p>
      ) : (
        <div
          role="listbox"
          aria-label="Tasks"
          tabIndex={0}
          className="outline-none"
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" || e.key === "j") move(1);
            else if (e.key === "ArrowUp" || e.key === "k") move(-1);
            else if (e.key === "Escape") onSelect(null);
            else return;
            e.preventDefault();
          }}
        >
          <div className="grid grid-cols-[minmax(200px,280px)_1fr] border-b border-zinc-100 bg-zinc-50/60 text-[11px] text-zinc-400">
            <div className="px-4 py-1.5 font-medium tracking-wide uppercase">Task</div>
            <div className="relative mr-16 ml-3 h-7">
              {marks.map((m) => (
                <span key={m} className="absolute top-1.5 -translate-x-1/2 tabular-nums first:translate-x-0" style={{ left: `${(m / span) * 100}%` }}>
                  {tickLabel(m, step)}
                </span>
              ))}
            </div>
          </div>
          <div className="relative">
            {rows.map(({ task, depth, childCount }) => {
              const selected = task.id === selectedId;
              const start = task.startedAt ? Date.parse(task.startedAt) : task.endedAt ? Date.parse(task.endedAt) : t0;
              const end = task.endedAt ? Date.parse(task.endedAt) : task.status === "running" ? now : start;
              const box = place(start, end, t0, span);
              const instant = box.width < 0.05;
              const duration = task.status === "running" ? now - start : task.durationMs;
              const labelLeft = box.left + box.width > 82;
              return (
                <div
                  key={task.id}
                  role="option"
                  aria-selected={selected}
                  data-testid="timeline-row"
                  data-task-name={task.name}
                  data-status={task.status}
                  tabIndex={-1}
                  onClick={() => onSelect(selected ? null : task.id)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter" || e.key === " ") onSelect(selected ? null : task.id);
                  }}
                  className={`grid cursor-pointer grid-cols-[minmax(200px,280px)_1fr] border-b border-zinc-50 text-sm last:border-0 ${selected ? "bg-sky-50" : "hover:bg-zinc-50"}`}
                >
                  <div className="flex min-w-0 items-center gap-1.5 py-1.5 pr-2" style={{ paddingLeft: `${12 + depth * 16}px` }}>
                    {childCount > 0 ? (
                      <button
                        type="button"
                        aria-label={collapsed.has(task.id) ? "Expand" : "Collapse"}
                        onClick={(e) => {
                          e.stopPropagation();
                          toggle(task.id);
                        }}
                        className="flex size-4 shrink-0 items-center justify-center rounded text-zinc-400 hover:bg-zinc-200 hover:text-zinc-700"
                      >
                        <svg viewBox="0 0 16 16" className={`size-3 transition ${collapsed.has(task.id) ? "" : "rotate-90"}`} aria-hidden="true">
                          <path d="M6 4l4 4-4 4" fill="none" stroke="currentColor" strokeWidth="1.8" />
                        </svg>
                      </button>
                    ) : (
                      <span className="size-4 shrink-0" />
                    )}
                    <span className={`size-2 shrink-0 rounded-full ${STATUS_STYLE[task.status].dot}`} />
                    <span className={`truncate ${task.status === "failed" ? "font-medium text-rose-700" : "text-zinc-800"}`} title={task.name}>
                      {task.name || <span className="text-zinc-400 italic">unnamed</span>}
                    </span>
                  </div>
                  <div className="relative mr-16 ml-3 h-8">
                    {marks.map((m) => (
                      <span key={m} className="absolute inset-y-0 w-px bg-zinc-100" style={{ left: `${(m / span) * 100}%` }} />
                    ))}
                    {instant ? (
                      <span
                        className={`absolute top-1/2 size-2.5 -translate-x-1/2 -translate-y-1/2 rotate-45 rounded-[2px] ${STATUS_STYLE[task.status].dot}`}
                        style={{ left: `${box.left}%` }}
                        title={`${task.name}: ${STATUS_STYLE[task.status].label}`}
                      />
                    ) : (
                      <span
                        data-testid="timeline-bar"
                        className={`absolute top-1/2 h-4 -translate-y-1/2 rounded ${STATUS_STYLE[task.status].bar} ${selected ? "ring-2 ring-sky-500 ring-offset-1" : ""}`}
                        style={{ left: `${box.left}%`, width: `max(${box.width}%, 3px)` }}
                        title={`${task.name}: ${formatDuration(duration)}`}
                      />
                    )}
                    <span
                      className="pointer-events-none absolute top-1/2 -translate-y-1/2 px-1.5 text-[11px] whitespace-nowrap text-zinc-500 tabular-nums"
                      style={labelLeft ? { right: `${100 - box.left}%` } : { left: `${box.left + box.width}%` }}
                    >
                      {task.status === "skipped" ? "skipped" : formatDuration(duration)}
                    </span>
                  </div>
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
