"use client";

import type { RunView, TaskSummaryView } from "@runtrail/db";
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { STATUS_STYLE } from "@/components/status";
import { flattenTasks } from "./task-tree";
import { ROW_HEIGHT, TimelineRow } from "./timeline-row";
import { tickLabel, ticks, tickStep } from "./timeline-scale";
import { visibleRange } from "./visible-range";

interface Props {
  run: RunView;
  tasks: readonly TaskSummaryView[];
  now: number;
  selectedId: string | null;
  onSelect: (id: string | null) => void;
}

const LEGEND = ["running", "completed", "failed", "skipped", "cancelled"] as const;
/** Rows rendered above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;

/** Earliest start and latest end over the tasks (one pass; recomputed only when the tasks change). */
function taskBounds(tasks: readonly TaskSummaryView[]) {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let running = false;
  for (const t of tasks) {
    const s = t.startedAt ? Date.parse(t.startedAt) : null;
    const e = t.endedAt ? Date.parse(t.endedAt) : s;
    if (t.status === "running" && !t.endedAt) running = true;
    if (s !== null && s < min) min = s;
    if (e !== null && e > max) max = e;
  }
  return { min, max, running };
}

/**
 * The run's tasks as a collapsible tree against one time axis. Only the rows in view
 * (plus OVERSCAN) are rendered, each ROW_HEIGHT tall, in a scroll box of its own whose
 * axis header stays put: a run with 100,000 tasks renders a few dozen rows.
 */
export function Timeline({ run, tasks, now, selectedId, onSelect }: Props) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => flattenTasks(tasks, collapsed), [tasks, collapsed]);
  const indexById = useMemo(() => new Map(rows.map((r, i) => [r.task.id, i])), [rows]);
  const bounds = useMemo(() => taskBounds(tasks), [tasks]);
  const t0 = Math.min(Date.parse(run.startedAt), bounds.min);
  const t1 = Math.max(run.endedAt ? Date.parse(run.endedAt) : now, bounds.max, bounds.running ? now : bounds.max);
  const span = Math.max(t1 - t0, 1);
  const step = tickStep(span);
  const marks = ticks(span);

  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const toggle = useCallback(
    (id: string) =>
      setCollapsed((prev) => {
        const next = new Set(prev);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );

  // Keep the selected row in view (keyboard moves, the failure banner, a ?task= link).
  const selectedIndex = selectedId === null ? -1 : (indexById.get(selectedId) ?? -1);
  useEffect(() => {
    const el = box.current;
    const header = el?.firstElementChild?.clientHeight ?? 0;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - header) el.scrollTop = top + ROW_HEIGHT - el.clientHeight + header;
  }, [selectedIndex]);

  const move = (delta: number) => {
    const next = rows[Math.min(Math.max(selectedIndex + delta, 0), rows.length - 1)];
    if (next) onSelect(next.task.id);
  };

  const { first, last } = visibleRange(view.top, view.height, ROW_HEIGHT, rows.length, OVERSCAN);
  const gridLines = marks.map((m) => <span key={m} className="absolute inset-y-0 w-px bg-zinc-100" style={{ left: `${(m / span) * 100}%` }} />);

  return (
    <section className="overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-sm" aria-label="Timeline">
      <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-3">
        <h2 className="text-sm font-semibold">
          Timeline <span className="ml-1 font-normal text-zinc-400">{tasks.length.toLocaleString("en-US")} tasks</span>
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
          ref={box}
          role="listbox"
          aria-label="Tasks"
          tabIndex={0}
          data-testid="timeline-scroll"
          className="max-h-[70vh] overflow-y-auto outline-none focus-visible:ring-2 focus-visible:ring-focus focus-visible:ring-inset"
          onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
          onKeyDown={(e) => {
            if (e.key === "ArrowDown" || e.key === "j") move(1);
            else if (e.key === "ArrowUp" || e.key === "k") move(-1);
            else if (e.key === "Escape") onSelect(null);
            else return;
            e.preventDefault();
          }}
        >
          <div className="sticky top-0 z-10 grid grid-cols-[minmax(200px,280px)_1fr] border-b border-zinc-100 bg-zinc-50 text-[11px] text-zinc-400">
            <div className="px-4 py-1.5 font-medium tracking-wide uppercase">Task</div>
            <div className="relative mr-16 ml-3 h-7">
              {marks.map((m) => (
                <span key={m} className="absolute top-1.5 -translate-x-1/2 tabular-nums first:translate-x-0" style={{ left: `${(m / span) * 100}%` }}>
                  {tickLabel(m, step)}
                </span>
              ))}
            </div>
          </div>
          <div className="relative" style={{ height: rows.length * ROW_HEIGHT }}>
            <div className="pointer-events-none absolute inset-0 grid grid-cols-[minmax(200px,280px)_1fr]" aria-hidden="true">
              <div />
              <div className="relative mr-16 ml-3">{gridLines}</div>
            </div>
            {rows.slice(first, last).map(({ task, depth, childCount }, i) => (
              <TimelineRow
                key={task.id}
                task={task}
                index={first + i}
                depth={depth}
                childCount={childCount}
                collapsed={collapsed.has(task.id)}
                selected={task.id === selectedId}
                t0={t0}
                span={span}
                now={task.status === "running" ? now : 0}
                onSelect={onSelect}
                onToggle={toggle}
              />
            ))}
          </div>
        </div>
      )}
    </section>
  );
}
