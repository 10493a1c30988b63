"use client";

import type { LogMarkerView } from "@runtrail/db";
import type { RefObject } from "react";
import { LogMarkerDots, type MarkerHover } from "../log-markers/log-marker-dots";
import { tickLabel } from "./timeline-scale";
import type { TimeWindow } from "./time-window";

interface Props {
  /** The bar column of the header: the box pointer positions are read against. */
  axisRef: RefObject<HTMLDivElement | null>;
  /** The pointer's time (moved by useCursorLine). */
  cursorLabel: RefObject<HTMLSpanElement | null>;
  window: TimeWindow;
  /** Tick offsets (ms from the run's start) and their step. */
  marks: readonly number[];
  step: number;
  t0: number;
  /** Run-level logs, drawn on a strip under the ticks (none: no strip). */
  runLogs: readonly LogMarkerView[] | undefined;
  onMarkerHover: (hover: MarkerHover | null) => void;
}

/** Labels this close to an edge (percent) are aligned to it, so they are not cut off. */
const EDGE = 4;

/** The sticky head of the rows: tick labels for the visible window, and the run's own logs. */
export function TimelineAxis({ axisRef, cursorLabel, window: win, marks, step, t0, runLogs, onMarkerHover }: Props) {
  const width = win.end - win.start;
  return (
    <div className="sticky top-0 z-10 border-b border-zinc-100 bg-zinc-50 text-[11px] text-zinc-400">
      <div className="grid grid-cols-[minmax(200px,280px)_1fr]">
        <div className="px-4 py-1.5 font-medium tracking-wide uppercase">Task</div>
        <div ref={axisRef} data-testid="timeline-axis" className="relative mr-16 ml-3 h-7 select-none">
          {marks.map((m) => {
            const pos = ((m - win.start) / width) * 100;
            const align = pos < EDGE ? "" : pos > 100 - EDGE ? "-translate-x-full" : "-translate-x-1/2";
            return (
              <span key={m} data-testid="timeline-tick" className={`absolute top-1.5 whitespace-nowrap tabular-nums ${align}`} style={{ left: `${pos}%` }}>
                {tickLabel(m, step)}
              </span>
            );
          })}
          <span
            ref={cursorLabel}
            className="invisible absolute top-1 z-[1] -translate-x-1/2 rounded bg-zinc-700 px-1.5 py-px whitespace-nowrap text-white tabular-nums"
            aria-hidden="true"
          />
          {marks.map((m) => (
            <span key={`t${m}`} className="absolute bottom-0 h-1 w-px bg-zinc-300" style={{ left: `${((m - win.start) / width) * 100}%` }} />
          ))}
        </div>
      </div>
      {runLogs && runLogs.length > 0 && (
        <div className="grid h-5 grid-cols-[minmax(200px,280px)_1fr] border-t border-zinc-100" data-testid="run-log-strip">
          <div className="px-4 leading-5">Run logs</div>
          <div className="relative mr-16 ml-3">
            <LogMarkerDots markers={runLogs} from={t0 + win.start} span={width} onHover={onMarkerHover} />
          </div>
        </div>
      )}
    </div>
  );
}
