/**
 * Axis maths for the timeline: which ticks to draw for a visible window, how to label
 * them, and where a task's bar goes inside that window. Times are offsets in ms from
 * the run's start.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Round steps of a second and up: clock-like, so ticks land on 15 s, 5 min, 6 h. */
const CLOCK_STEPS = [SECOND, 2 * SECOND, 5 * SECOND, 10 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 2 * MINUTE, 5 * MINUTE, 10 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY];

/** The smallest step: one microsecond. */
const MIN_STEP = 0.001;

/**
 * The round step nearest (on a log scale) to `spanMs / target`, so about `target`
 * ticks: 1, 2 or 5 times a power of ten below a second (down to 1 µs), clock steps
 * from a second up, whole days beyond a day.
 */
export function tickStep(spanMs: number, target = 6): number {
  const raw = Math.max(spanMs, 0) / Math.max(target, 1);
  if (raw <= MIN_STEP) return MIN_STEP;
  const nearest = (candidates: readonly number[]) =>
    candidates.reduce((best, c) => (Math.abs(Math.log(c / raw)) < Math.abs(Math.log(best / raw)) ? c : best));
  if (raw < 700) {
    const power = 10 ** Math.floor(Math.log10(raw));
    // Rounded so 0.1 * 2 style noise never yields 0.30000000000000004 ms steps.
    return nearest([1, 2, 5, 10].map((m) => Number((m * power).toPrecision(6))));
  }
  if (raw > DAY) return Math.max(Math.round(raw / DAY), 1) * DAY;
  return nearest([500, ...CLOCK_STEPS]);
}

/** Multiples of `step` inside [from, to] (at most 1,000). */
export function ticksBetween(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  const first = Math.ceil(from / step - 1e-9);
  for (let k = first; k * step <= to + step * 1e-9 && out.length < 1000; k++) out.push(Number((k * step).toPrecision(12)));
  return out;
}

/** Decimal places that show a multiple of `step` (a 1-2-5 value) exactly: 0.25 → 2, 0.2 → 1, 5 → 0. */
function decimalsFor(step: number): number {
  for (let d = 0; d < 6; d++) if (Math.abs(Math.round(step * 10 ** d) - step * 10 ** d) < 1e-6) return d;
  return 6;
}

/**
 * Label for an offset on an axis whose ticks are `step` apart, precise enough to tell
 * neighbouring ticks apart: "0", "0.25ms", "480ms", "1.5s", "12.3456s", "1m 30s",
 * "2h 15m", "1h 0m 2.5s".
 */
export function tickLabel(ms: number, step: number): string {
  if (Math.abs(ms) < step * 1e-6) return "0";
  if (ms < 0) return `-${tickLabel(-ms, step)}`;
  if (ms < SECOND && step < SECOND) return `${ms.toFixed(decimalsFor(step))}ms`;
  const h = Math.floor(ms / HOUR + 1e-9);
  const m = Math.floor((ms - h * HOUR) / MINUTE + 1e-9);
  const rest = Math.max(ms - h * HOUR - m * MINUTE, 0);
  const parts: string[] = [];
  if (h > 0) parts.push(`${h}h`);
  if (step >= HOUR) return parts.join(" ") || "0";
  if (h > 0 || m > 0) parts.push(`${m}m`);
  if (step >= MINUTE) return parts.join(" ");
  const seconds = (rest / SECOND).toFixed(decimalsFor(step / SECOND));
  // "1m" rather than "1m 0s" on a seconds axis; "1m 0.5s" keeps its seconds.
  if (Number(seconds) !== 0 || parts.length === 0) parts.push(`${seconds}s`);
  return parts.join(" ");
}

/** An offset as the toolbar shows a window edge: its tick label at a step about a hundredth of `spanMs`. */
export function formatOffset(ms: number, spanMs: number): string {
  return tickLabel(ms, tickStep(spanMs, 100));
}

export interface Placed {
  /** Left edge, percent of the visible window. */
  left: number;
  /** Width, percent of the visible window (0 for an instant). */
  width: number;
  /** The bar starts before the window: its left edge is cut. */
  cutStart: boolean;
  /** The bar ends after the window: its right edge is cut. */
  cutEnd: boolean;
}

/**
 * Places the span [start, end] (absolute ms) in the window [from, from + spanMs]
 * (absolute ms) as percentages clipped to the window; null when it lies wholly outside.
 */
export function place(start: number, end: number, from: number, spanMs: number): Placed | null {
  const to = from + spanMs;
  const e = Math.max(end, start);
  if (e < from || start > to) return null;
  const a = Math.max(start, from);
  const b = Math.min(e, to);
  return { left: ((a - from) / spanMs) * 100, width: ((b - a) / spanMs) * 100, cutStart: start < from, cutEnd: e > to };
}
