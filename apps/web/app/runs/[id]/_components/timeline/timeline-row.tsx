"use client";

import type { LogMarkerView, TaskSummaryView } from "@runtrail/db";
import { memo } from "react";
import { STATUS_STYLE } from "@/components/status";
import { formatDuration } from "@/lib/format";
import { LogMarkerDots, type MarkerHover } from "../log-markers/log-marker-dots";
import { spanOf } from "../tasks/task-times";
import { place } from "../axis/timeline-scale";

/** Every row is this tall, so the timeline can place rows without measuring them. */
export const ROW_HEIGHT = 32;

interface Props {
  task: TaskSummaryView;
  index: number;
  depth: number;
  childCount: number;
  collapsed: boolean;
  selected: boolean;
  /** The visible window: its start (ms since the epoch) and width (ms). */
  from: number;
  span: number;
  /** Only read for a running task, so finished rows skip the re-render of every tick. */
  now: number;
  /** The task's log markers (a stable array per task, or undefined). */
  markers: readonly LogMarkerView[] | undefined;
  onSelect: (id: string | null) => void;
  onToggle: (id: string) => void;
  onMarkerHover: (hover: MarkerHover | null) => void;
}

/** Where the duration label goes: after the bar, before it, or inside it when the bar fills the window. */
function labelSide(left: number, width: number): "after" | "before" | "inside" {
  if (left + width <= 82) return "after";
  if (left >= 18) return "before";
  return "inside";
}

/**
 * One task on the timeline, absolutely placed at `index * ROW_HEIGHT`: the tree cell
 * (indent, expander, status dot, name) and its bar, clipped to the visible window.
 */
export const TimelineRow = memo(function TimelineRow(props: Props) {
  const { task, index, depth, childCount, collapsed, selected, from, span, now, markers, onSelect, onToggle, onMarkerHover } = props;
  const s = spanOf(task, now) ?? { start: from, end: from };
  const box = place(s.start, s.end, from, span);
  const instant = s.end - s.start <= 0;
  const duration = task.status === "running" ? now - s.start : task.durationMs;
  const label = task.status === "skipped" ? "skipped" : formatDuration(duration);
  const style = STATUS_STYLE[task.status];
  const side = box ? labelSide(box.left, box.width) : "after";
  return (
    <div
      id={`timeline-row-${index}`}
      role="treeitem"
      aria-selected={selected}
      aria-level={depth + 1}
      aria-expanded={childCount > 0 ? !collapsed : undefined}
      data-testid="timeline-row"
      data-task-name={task.name}
      data-task-id={task.id}
      data-status={task.status}
      tabIndex={-1}
      onClick={() => onSelect(selected ? null : task.id)}
      onKeyDown={(e) => {
        if (e.key === "Enter" || e.key === " ") onSelect(selected ? null : task.id);
      }}
      style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
      className={`absolute inset-x-0 grid scroll-mt-20 scroll-mb-4 cursor-pointer grid-cols-[minmax(200px,280px)_1fr] text-sm shadow-[inset_0_-1px_0_var(--color-zinc-50)] ${selected ? "bg-sky-50" : "hover:bg-zinc-50"}`}
    >
      <div className="flex min-w-0 items-center gap-1.5 pr-2" style={{ paddingLeft: `${12 + depth * 16}px` }}>
        {childCount > 0 ? (
          <button
            type="button"
            tabIndex={-1}
            aria-label={collapsed ? "Expand" : "Collapse"}
            title={`${collapsed ? "Expand" : "Collapse"} (${collapsed ? "→" : "←"}) · ${childCount} ${childCount === 1 ? "child" : "children"}`}
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
        <span className={`size-2 shrink-0 rounded-full ${style.dot}`} />
        <span className={`truncate ${task.status === "failed" ? "font-medium text-rose-700" : "text-zinc-800"}`} title={task.name}>
          {task.name || <span className="text-zinc-400 italic">unnamed</span>}
        </span>
        {collapsed && <span className="shrink-0 rounded bg-zinc-100 px-1 text-[10px] text-zinc-500 tabular-nums">{childCount}</span>}
      </div>
      <div className="relative mr-16 ml-3 select-none">
        {box &&
          (instant ? (
            <span
              data-testid="timeline-instant"
              className={`absolute top-1/2 size-2.5 -translate-x-1/2 -translate-y-1/2 rotate-45 rounded-[2px] ${style.dot}`}
              style={{ left: `${box.left}%` }}
              title={`${task.name}: ${style.label}`}
            />
          ) : (
            <span
              data-testid="timeline-bar"
              className={`absolute top-1/2 h-4 -translate-y-1/2 ${box.cutStart ? "rounded-l-none" : "rounded-l"} ${box.cutEnd ? "rounded-r-none" : "rounded-r"} ${style.bar} ${selected ? "ring-2 ring-sky-500 ring-offset-1" : ""}`}
              style={{ left: `${box.left}%`, width: `max(${box.width}%, 3px)` }}
              title={`${task.name}: ${formatDuration(duration)}`}
            />
          ))}
        {!box && (
          // Zoomed away from this task: a notch in its colour at the edge it lies beyond.
          <span
            data-testid="timeline-offscreen"
            className={`absolute top-1/2 h-2.5 w-1 -translate-y-1/2 opacity-60 ${s.end < from ? "left-0 rounded-r-sm" : "right-0 rounded-l-sm"} ${style.dot}`}
            title={`${task.name}: ${s.end < from ? "before" : "after"} the part in view`}
          />
        )}
        {box && (
          <span
            className={`pointer-events-none absolute top-1/2 -translate-y-1/2 text-[11px] whitespace-nowrap tabular-nums ${side === "inside" ? "rounded bg-white/85 px-1 text-zinc-700" : "px-1.5 text-zinc-500"}`}
            style={side === "after" ? { left: `${box.left + box.width}%` } : side === "before" ? { right: `${100 - box.left}%` } : { left: `calc(${box.left}% + 6px)` }}
          >
            {label}
          </span>
        )}
        {markers && <LogMarkerDots markers={markers} from={from} span={span} onHover={onMarkerHover} />}
      </div>
    </div>
  );
});
