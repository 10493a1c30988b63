"use client";

import type { TaskSummaryView } from "@runtrail/db";
import { memo } from "react";
import { STATUS_STYLE } from "@/components/status";
import { formatDuration } from "@/lib/format";
import { place } from "./timeline-scale";

/** Every row is this tall, so the timeline can place rows without measuring them. */
export const ROW_HEIGHT = 32;

interface Props {
  task: TaskSummaryView;
  index: number;
  depth: number;
  childCount: number;
  collapsed: boolean;
  selected: boolean;
  t0: number;
  span: number;
  /** Only read for a running task, so finished rows skip the re-render of every tick. */
  now: number;
  onSelect: (id: string | null) => void;
  onToggle: (id: string) => void;
}

/** One task on the timeline, absolutely placed at `index * ROW_HEIGHT`. */
export const TimelineRow = memo(function TimelineRow({ task, index, depth, childCount, collapsed, selected, t0, span, now, onSelect, onToggle }: Props) {
  const start = task.startedAt ? Date.parse(task.startedAt) : task.endedAt ? Date.parse(task.endedAt) : t0;
  const end = task.endedAt ? Date.parse(task.endedAt) : task.status === "running" ? now : start;
  const box = place(start, end, t0, span);
  const instant = box.width < 0.05;
  const duration = task.status === "running" ? now - start : task.durationMs;
  const labelLeft = box.left + box.width > 82;
  return (
    <div
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
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      className={`absolute inset-x-0 grid cursor-pointer grid-cols-[minmax(200px,280px)_1fr] text-sm shadow-[inset_0_-1px_0_var(--color-zinc-50)] ${selected ? "bg-sky-50" : "hover:bg-zinc-50"}`}
    >
      <div className="flex min-w-0 items-center gap-1.5 pr-2" style={{ paddingLeft: `${12 + depth * 16}px` }}>
        {childCount > 0 ? (
          <button
            type="button"
            aria-label={collapsed ? "Expand" : "Collapse"}
            onClick={(e) => {
              e.stopPropagation();
              onToggle(task.id);
            }}
            className="flex size-4 shrink-0 items-center justify-center rounded text-zinc-400 hover:bg-zinc-200 hover:text-zinc-700"
          >
            <svg viewBox="0 0 16 16" className={`size-3 transition ${collapsed ? "" : "rotate-90"}`} aria-hidden="true">
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
      <div className="relative mr-16 ml-3">
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
});
