"use client";

import { type PointerEvent as ReactPointerEvent, useLayoutEffect, useMemo, useRef, useState } from "react";
import { formatDuration } from "@/lib/format";
import { binActivity } from "./minimap-bins";
import { drawMinimap } from "./minimap-draw";
import type { TaskIndex } from "../tasks/task-index";
import { formatOffset } from "../axis/timeline-scale";
import { centreWindow, panWindow, type TimeWindow, zoomWindow } from "../axis/time-window";
import type { WindowUpdate } from "../axis/use-time-window";
import { useThemeVersion } from "./use-theme-version";

interface Props {
  /** The run's tasks, updated in place; `revision` changes with them. */
  index: TaskIndex;
  revision: number;
  /** The run has not ended: its extent grows with the clock. */
  live: boolean;
  /** The run's start (ms since the epoch) and length (ms). */
  t0: number;
  extent: number;
  window: TimeWindow;
  update: (change: WindowUpdate) => void;
}

const HEIGHT = 44;
/** Pixels either side of the frame's edges that grab an edge (resize) rather than the frame (move). */
const EDGE_PX = 5;
/**
 * Past this many tasks a running run's minimap is rebinned once a second, as its coarse
 * scale moves, rather than on every clock tick or every live flush.
 */
const COARSE_ABOVE = 5000;

type Drag = { mode: "move" | "left" | "right" | "select"; id: number; x: number; at: number; start: TimeWindow; moved: boolean };

/**
 * The whole run in one strip: task activity over time by status (a canvas, binned in
 * one pass over the tasks when they change, at most once a second for a big running
 * run), failures marked, and the visible window
 * as a frame. Drag the frame to pan, its edges to resize, elsewhere to choose a
 * window; click to centre the window there. The frame is a slider for the keyboard.
 */
export function TimelineMinimap({ index, revision, live, t0, extent, window: win, update }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const theme = useThemeVersion();
  const drag = useRef<Drag | null>(null);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setWidth(el.clientWidth));
    observer.observe(el);
    setWidth(el.clientWidth);
    return () => observer.disconnect();
  }, []);

  // The minimap's own scale: the run's extent, in whole seconds for a big running run.
  const coarse = (live || index.bounds().running) && index.ordered.length > COARSE_ABOVE;
  const scale = coarse ? Math.ceil(extent / 1000) * 1000 : extent;
  // Coarse: the tasks as they are when the scale next moves (within a second), not on each flush.
  const binnedRevision = coarse ? -1 : revision;
  const binCount = Math.min(Math.max(Math.round(width), 1), 1600);
  // A running task reaches the right edge: the scale ends at (about) now.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the index changes in place; binnedRevision says when to read it again
  const bins = useMemo(() => (width > 0 ? binActivity(index.ordered, index.times(), t0, scale, binCount, t0 + scale) : null), [index, binnedRevision, t0, scale, binCount, width]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a theme change redefines the CSS variables the drawing reads
  useLayoutEffect(() => {
    if (canvas.current && bins && width > 0) drawMinimap(canvas.current, bins, width, HEIGHT);
  }, [bins, width, theme]);

  const whole = win.start <= 0 && win.end >= extent;
  const pct = (ms: number) => Math.min(Math.max((ms / scale) * 100, 0), 100);
  const left = pct(win.start);
  const right = pct(win.end);

  const timeAt = (clientX: number) => {
    const rect = box.current?.getBoundingClientRect();
    return rect && rect.width > 0 ? ((clientX - rect.left) / rect.width) * scale : 0;
  };

  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left;
    const lx = (left / 100) * rect.width;
    const rx = (right / 100) * rect.width;
    // Showing the whole run there is nothing to move: a drag inside chooses a window.
    const mode = Math.abs(x - lx) <= EDGE_PX && x < rx ? "left" : Math.abs(x - rx) <= EDGE_PX ? "right" : x > lx && x < rx && !whole ? "move" : "select";
    drag.current = { mode, id: e.pointerId, x: e.clientX, at: timeAt(e.clientX), start: win, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
    e.preventDefault();
  };

  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    if (!d.moved && Math.abs(e.clientX - d.x) < 3) return;
    d.moved = true;
    const t = timeAt(e.clientX);
    const { start } = d;
    update((_, ext) => {
      if (d.mode === "move") return panWindow(start, t - d.at, ext);
      if (d.mode === "left") return { start: Math.min(t, start.end), end: start.end };
      if (d.mode === "right") return { start: start.start, end: Math.max(t, start.start) };
      return { start: Math.min(d.at, t), end: Math.max(d.at, t) };
    });
  };

  const onUp = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.id !== e.pointerId) return;
    drag.current = null;
    if (!d.moved && d.mode === "select") update((w, ext) => centreWindow(w, d.at, ext));
  };

  const width10 = (win.end - win.start) / 10;
  return (
    <div className="grid grid-cols-[minmax(200px,280px)_1fr] border-b border-zinc-100 bg-zinc-50/60">
      <div className="flex flex-col justify-center px-4 text-[11px] leading-tight text-zinc-400">
        <span className="font-medium tracking-wide uppercase">Whole run</span>
        <span className="tabular-nums">{formatDuration(extent)}</span>
      </div>
      <div
        ref={box}
        data-testid="timeline-minimap"
        className="relative my-2 mr-16 ml-3 cursor-crosshair touch-none select-none"
        style={{ height: HEIGHT }}
        onPointerDown={onDown}
        onPointerMove={onMove}
        onPointerUp={onUp}
        onPointerCancel={onUp}
      >
        <canvas ref={canvas} className="absolute inset-0 size-full" role="img" aria-label="Task activity over the whole run, by status; failures marked at the top" />
        <div className="pointer-events-none absolute inset-y-0 left-0 bg-zinc-500/10" style={{ width: `${left}%` }} />
        <div className="pointer-events-none absolute inset-y-0 right-0 bg-zinc-500/10" style={{ width: `${100 - right}%` }} />
        <div
          role="slider"
          tabIndex={0}
          aria-label="Visible part of the run"
          aria-valuemin={0}
          aria-valuemax={Math.round(scale)}
          aria-valuenow={Math.round(win.start)}
          aria-valuetext={`${formatOffset(win.start, win.end - win.start)} to ${formatOffset(win.end, win.end - win.start)}`}
          data-testid="minimap-frame"
          className={`absolute -inset-y-px cursor-grab rounded-[3px] border outline-none focus-visible:ring-2 focus-visible:ring-sky-500 active:cursor-grabbing ${whole ? "border-zinc-300" : "border-sky-600/80 bg-sky-500/5"}`}
          style={{ left: `min(${left}%, 100% - 4px)`, width: `max(${right - left}%, 4px)` }}
          onKeyDown={(e) => {
            let change: WindowUpdate | null = null;
            if (e.key === "ArrowLeft") change = (w, ext) => panWindow(w, -width10 * (e.shiftKey ? 5 : 1), ext);
            else if (e.key === "ArrowRight") change = (w, ext) => panWindow(w, width10 * (e.shiftKey ? 5 : 1), ext);
            else if (e.key === "ArrowUp") change = (w, ext) => zoomWindow(w, 0.8, 0.5, ext);
            else if (e.key === "ArrowDown") change = (w, ext) => zoomWindow(w, 1.25, 0.5, ext);
            if (!change) return;
            e.preventDefault();
            e.stopPropagation();
            update(change);
          }}
        >
          <span className="absolute inset-y-2 left-0 w-0.5 -translate-x-1/2 cursor-ew-resize rounded bg-sky-600/70" />
          <span className="absolute inset-y-2 right-0 w-0.5 translate-x-1/2 cursor-ew-resize rounded bg-sky-600/70" />
        </div>
      </div>
    </div>
  );
}
