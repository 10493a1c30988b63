"use client";

import type { LogMarkerView } from "@runtrail/db";
import { type ReactNode, type RefObject, useEffect, useLayoutEffect, useState } from "react";
import type { MarkerHover } from "../log-markers/log-marker-dots";
import { spanOf } from "../tasks/task-times";
import type { TreeRow } from "../tasks/task-index";
import { ROW_HEIGHT, TimelineRow } from "./timeline-row";
import { place } from "../axis/timeline-scale";
import { visibleRange } from "./visible-range";

interface Props {
  box: RefObject<HTMLDivElement | null>;
  rows: readonly TreeRow[];
  collapsed: ReadonlySet<string>;
  selectedId: string | null;
  selectedIndex: number;
  /** The visible window: start (ms since the epoch) and width (ms). */
  from: number;
  span: number;
  now: number;
  /** The run is running: a line marks now. */
  running: boolean;
  markers: ReadonlyMap<string | null, readonly LogMarkerView[]>;
  /** The sticky axis. */
  header: ReactNode;
  /** The pointer's time line (moved by useCursorLine). */
  cursorLine: RefObject<HTMLSpanElement | null>;
  /** Grid lines, percent of the window. */
  marks: readonly number[];
  onSelect: (id: string | null) => void;
  onToggle: (id: string) => void;
  onMarkerHover: (hover: MarkerHover | null) => void;
}

/** Rows rendered above and below the visible ones, so a fast scroll shows no gap. */
const OVERSCAN = 10;

/**
 * The scroll box of the timeline: the sticky axis, then only the rows in view (plus
 * OVERSCAN), each ROW_HEIGHT tall, over the grid lines, the selected task's time band
 * and a now line. A run with 100,000 tasks renders a few dozen rows.
 */
export function TimelineRows(p: Props) {
  const { box, rows, selectedIndex } = p;
  const [view, setView] = useState({ top: 0, height: 600 });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [box]);

  // Keep the selected row in view (keys, failure jumps, the failure banner, a ?task= link).
  useEffect(() => {
    const el = box.current;
    const header = el?.firstElementChild?.clientHeight ?? 0;
    if (!el || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + el.clientHeight - header) el.scrollTop = top + ROW_HEIGHT - el.clientHeight + header;
    // Once rendered there, the page scrolls too if the row is below the fold or under the sticky header.
    const frame = requestAnimationFrame(() => document.getElementById(`timeline-row-${selectedIndex}`)?.scrollIntoView({ block: "nearest" }));
    return () => cancelAnimationFrame(frame);
  }, [box, selectedIndex]);

  const { first, last } = visibleRange(view.top, view.height, ROW_HEIGHT, rows.length, OVERSCAN);
  const selected = rows[selectedIndex]?.task;
  const selectedSpan = selected ? spanOf(selected, p.now) : null;
  const band = selectedSpan ? place(selectedSpan.start, selectedSpan.end, p.from, p.span) : null;
  const nowAt = p.running ? ((p.now - p.from) / p.span) * 100 : -1;

  return (
    <div
      ref={box}
      role="tree"
      aria-label="Tasks"
      aria-activedescendant={selectedIndex >= first && selectedIndex < last ? `timeline-row-${selectedIndex}` : undefined}
      tabIndex={0}
      data-testid="timeline-scroll"
      className="max-h-[70vh] touch-pan-y overflow-y-auto outline-none focus-visible:ring-2 focus-visible:ring-focus focus-visible:ring-inset data-[panning]:cursor-grabbing"
      onScroll={(e) => setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })}
    >
      {p.header}
      <div className="relative" style={{ height: rows.length * ROW_HEIGHT }}>
        <div className="pointer-events-none absolute inset-0 grid grid-cols-[minmax(200px,280px)_1fr]" aria-hidden="true">
          <div />
          <div className="relative mr-16 ml-3">
            {band && band.width > 0 && <span className="absolute inset-y-0 bg-sky-500/[0.06]" style={{ left: `${band.left}%`, width: `${band.width}%` }} />}
            {p.marks.map((m) => (
              <span key={m} className="absolute inset-y-0 w-px bg-zinc-100" style={{ left: `${m}%` }} />
            ))}
            <span ref={p.cursorLine} className="invisible absolute inset-y-0 w-px bg-zinc-400/60" />
            {nowAt >= 0 && nowAt <= 100 && <span className="absolute inset-y-0 w-px bg-run-running/50" style={{ left: `${nowAt}%` }} title="now" />}
          </div>
        </div>
        {rows.slice(first, last).map(({ task, depth, childCount }, i) => (
          <TimelineRow
            key={task.id}
            task={task}
            index={first + i}
            depth={depth}
            childCount={childCount}
            collapsed={p.collapsed.has(task.id)}
            selected={task.id === p.selectedId}
            from={p.from}
            span={p.span}
            now={task.status === "running" ? p.now : 0}
            markers={p.markers.get(task.id)}
            onSelect={p.onSelect}
            onToggle={p.onToggle}
            onMarkerHover={p.onMarkerHover}
          />
        ))}
      </div>
    </div>
  );
}
