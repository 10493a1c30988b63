/**
 * Zoom and pan maths of the timeline. A window is the visible part of the time axis,
 * as offsets in ms from the run's start; the extent is the whole run, [0, extent].
 */

export interface TimeWindow {
  start: number;
  end: number;
}

/** The narrowest window: 0.1 ms (ticks a few microseconds apart). */
export const MIN_WINDOW_MS = 0.1;

/** Fits `w` inside [0, extent], keeping its width when it can and its width >= MIN_WINDOW_MS. */
export function clampWindow(w: TimeWindow, extent: number): TimeWindow {
  const full = Math.max(extent, MIN_WINDOW_MS);
  const width = Math.min(Math.max(w.end - w.start, MIN_WINDOW_MS), full);
  const start = Math.min(Math.max(w.start, 0), full - width);
  return { start, end: start + width };
}

/**
 * Scales the window's width by `factor` (< 1 zooms in) around the point `anchor` of it
 * (0 = left edge, 1 = right edge), which stays where it was on screen.
 */
export function zoomWindow(w: TimeWindow, factor: number, anchor: number, extent: number): TimeWindow {
  const a = Math.min(Math.max(anchor, 0), 1);
  const width = w.end - w.start;
  const at = w.start + a * width;
  const full = Math.max(extent, MIN_WINDOW_MS);
  const next = Math.min(Math.max(width * factor, MIN_WINDOW_MS), full);
  return clampWindow({ start: at - a * next, end: at - a * next + next }, extent);
}

/** Moves the window by `deltaMs` (positive: later), stopping at the run's edges. */
export function panWindow(w: TimeWindow, deltaMs: number, extent: number): TimeWindow {
  return clampWindow({ start: w.start + deltaMs, end: w.end + deltaMs }, extent);
}

/** The window of the same width centred on `at`. */
export function centreWindow(w: TimeWindow, at: number, extent: number): TimeWindow {
  const half = (w.end - w.start) / 2;
  return clampWindow({ start: at - half, end: at + half }, extent);
}

/** A window showing [start, end] with a margin of `pad` of its width either side. */
export function fitWindow(start: number, end: number, extent: number, pad = 0.1): TimeWindow {
  const width = Math.max(end - start, MIN_WINDOW_MS);
  const margin = width * pad;
  return clampWindow({ start: start - margin, end: start + width + margin }, extent);
}

/**
 * The window moved just enough to show [start, end] (when it is wider than the window,
 * its start); unchanged when the span is already in view.
 */
export function revealSpan(w: TimeWindow, start: number, end: number, extent: number): TimeWindow {
  const width = w.end - w.start;
  if (start >= w.start && Math.min(end, start + width) <= w.end) return w;
  if (end >= w.start && start <= w.end && end - start > width) return w;
  return centreWindow(w, end - start < width ? (start + end) / 2 : start + width / 2, extent);
}

/** True when the window shows the whole run (nothing to reset). */
export function isWholeRun(w: TimeWindow, extent: number): boolean {
  return w.start <= 0 && w.end >= extent;
}

/** `?window=` value: "start-end" in ms, 3 decimals at most. */
export function formatWindowParam(w: TimeWindow): string {
  return `${+w.start.toFixed(3)}-${+w.end.toFixed(3)}`;
}

/** Parses a `?window=` value; null when it is missing or not "start-end" with start < end. */
export function parseWindowParam(value: string | null): TimeWindow | null {
  const m = value?.match(/^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/);
  if (!m) return null;
  const start = Number(m[1]);
  const end = Number(m[2]);
  return end > start ? { start, end } : null;
}
