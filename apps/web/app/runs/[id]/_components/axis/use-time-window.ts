"use client";

import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import { clampWindow, formatWindowParam, isWholeRun, type TimeWindow } from "./time-window";

/** A change of the window, given the current one and the run's extent (both ms from the run's start). */
export type WindowUpdate = (current: TimeWindow, extent: number) => TimeWindow;

export interface TimeWindowState {
  /** The visible part of the axis, ms from the run's start. */
  window: TimeWindow;
  /** Zoomed or panned away from the whole run. */
  zoomed: boolean;
  /** Applies a change against the latest window and extent (safe from event handlers and frames). */
  update: (change: WindowUpdate) => void;
  reset: () => void;
}

/** The URL follows the window this long after it stops moving (not on every frame of a pan). */
const URL_DELAY_MS = 400;

/**
 * The timeline's visible window. Unzoomed it is the whole run and grows with a running
 * one; zoomed it stays where the user put it. Shared as `?window=start-end` (ms from the
 * run's start), written once the window settles, next to the page's other parameters.
 */
export function useTimeWindow(extent: number, initial: TimeWindow | null): TimeWindowState {
  const [explicit, setExplicit] = useState<TimeWindow | null>(initial);
  const extentRef = useRef(extent);
  useLayoutEffect(() => {
    extentRef.current = extent;
  }, [extent]);

  const update = useCallback((change: WindowUpdate) => {
    setExplicit((prev) => {
      const e = extentRef.current;
      const current = prev ? clampWindow(prev, e) : { start: 0, end: e };
      const next = clampWindow(change(current, e), e);
      if (isWholeRun(next, e)) return null;
      return prev && next.start === prev.start && next.end === prev.end ? prev : next;
    });
  }, []);
  const reset = useCallback(() => setExplicit(null), []);

  useEffect(() => {
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      const value = explicit ? formatWindowParam(explicit) : null;
      if (url.searchParams.get("window") === value) return;
      if (value) url.searchParams.set("window", value);
      else url.searchParams.delete("window");
      window.history.replaceState(null, "", url);
    }, URL_DELAY_MS);
    return () => clearTimeout(timer);
  }, [explicit]);

  const shown = explicit ? clampWindow(explicit, extent) : { start: 0, end: extent };
  return { window: shown, zoomed: explicit !== null, update, reset };
}
