"use client";

import type { ReactNode } from "react";
import { formatOffset } from "../axis/timeline-scale";
import type { TimeWindow } from "../axis/time-window";

interface Props {
  taskCount: number;
  /** Rows the filter leaves (errors only), else null. */
  shownCount: number | null;
  window: TimeWindow;
  extent: number;
  zoomed: boolean;
  onZoom: (direction: "in" | "out" | "reset") => void;
  errorsOnly: boolean;
  problemCount: number;
  onErrorsOnly: () => void;
  failureCount: number;
  /** Position of the selected task among the failures (0-based), or -1. */
  failureIndex: number;
  onFailure: (which: "first" | "previous" | "next") => void;
  onHelp: () => void;
}

const BUTTON =
  "inline-flex h-7 items-center justify-center gap-1.5 rounded-md px-2 text-xs font-medium text-zinc-600 ring-1 ring-zinc-200 transition hover:bg-zinc-50 hover:text-zinc-900 disabled:pointer-events-none disabled:opacity-40 focus-visible:outline-2 focus-visible:outline-sky-500";

function Icon({ d }: { d: string }) {
  return (
    <svg viewBox="0 0 16 16" className="size-3.5" aria-hidden="true">
      <path d={d} fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  );
}

function Kbd({ children }: { children: ReactNode }) {
  return <kbd className="rounded border border-zinc-200 bg-zinc-50 px-1 font-sans text-[10px] text-zinc-400">{children}</kbd>;
}

/** Title, the errors controls and the zoom controls of the timeline. */
export function TimelineToolbar(p: Props) {
  const width = p.window.end - p.window.start;
  const zoomFactor = p.extent / Math.max(width, Number.EPSILON);
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 border-b border-zinc-100 px-4 py-2.5">
      <h2 className="mr-auto text-sm font-semibold">
        Timeline{" "}
        <span className="ml-1 font-normal text-zinc-400" data-testid="timeline-count">
          {p.shownCount !== null ? `${p.shownCount.toLocaleString("en-US")} of ` : ""}
          {p.taskCount.toLocaleString("en-US")} tasks
        </span>
      </h2>
      {(p.problemCount > 0 || p.errorsOnly) && (
        <div className="flex items-center gap-1.5">
          <button
            type="button"
            aria-pressed={p.errorsOnly}
            onClick={p.onErrorsOnly}
            title="Show only failed and cancelled tasks, with their parents (e)"
            className={`${BUTTON} ${p.errorsOnly ? "bg-rose-50 text-rose-700 ring-rose-200 hover:bg-rose-100 hover:text-rose-800" : ""}`}
          >
            <span className={`size-2 rounded-full ${p.errorsOnly ? "bg-run-failed" : "border border-zinc-300"}`} />
            Errors only
            <span className="tabular-nums text-zinc-400">{p.problemCount.toLocaleString("en-US")}</span>
          </button>
          {p.failureCount > 0 && (
            <div className="flex items-center">
              <button type="button" onClick={() => p.onFailure("first")} title="Jump to the first failure (g)" className={`${BUTTON} rounded-r-none`}>
                First failure
              </button>
              <button type="button" aria-label="Previous failure" title="Previous failure (Shift+N)" onClick={() => p.onFailure("previous")} className={`${BUTTON} -ml-px rounded-none px-1.5`}>
                <Icon d="M10 4L6 8l4 4" />
              </button>
              <span className="-ml-px inline-flex h-7 min-w-12 items-center justify-center px-1.5 text-xs text-zinc-500 tabular-nums ring-1 ring-zinc-200" data-testid="failure-position">
                {p.failureIndex >= 0 ? `${p.failureIndex + 1} / ${p.failureCount}` : `${p.failureCount} failed`}
              </span>
              <button type="button" aria-label="Next failure" title="Next failure (n)" onClick={() => p.onFailure("next")} className={`${BUTTON} -ml-px rounded-l-none px-1.5`}>
                <Icon d="M6 4l4 4-4 4" />
              </button>
            </div>
          )}
        </div>
      )}
      <fieldset className="flex items-center" aria-label="Zoom">
        <button type="button" aria-label="Zoom out" title="Zoom out (−, or Ctrl + wheel)" onClick={() => p.onZoom("out")} disabled={!p.zoomed} className={`${BUTTON} rounded-r-none px-1.5`}>
          <Icon d="M3.5 8h9" />
        </button>
        <span
          className="-ml-px inline-flex h-7 min-w-36 items-center justify-center gap-1 px-2 text-xs text-zinc-600 tabular-nums ring-1 ring-zinc-200"
          data-testid="timeline-window"
          data-start={p.window.start}
          data-end={p.window.end}
          title="The part of the run in view"
        >
          {formatOffset(p.window.start, width)} – {formatOffset(p.window.end, width)}
          {p.zoomed && <span className="text-zinc-400">· ×{zoomFactor < 10 ? zoomFactor.toFixed(1) : Math.round(zoomFactor).toLocaleString("en-US")}</span>}
        </span>
        <button type="button" aria-label="Zoom in" title="Zoom in (+, or Ctrl + wheel)" onClick={() => p.onZoom("in")} className={`${BUTTON} -ml-px rounded-none px-1.5`}>
          <Icon d="M3.5 8h9M8 3.5v9" />
        </button>
        <button type="button" onClick={() => p.onZoom("reset")} disabled={!p.zoomed} title="Show the whole run (0)" className={`${BUTTON} -ml-px rounded-l-none`}>
          Whole run
        </button>
      </fieldset>
      <button type="button" onClick={p.onHelp} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts" className={`${BUTTON} gap-1`}>
        <Kbd>?</Kbd>
      </button>
    </div>
  );
}
