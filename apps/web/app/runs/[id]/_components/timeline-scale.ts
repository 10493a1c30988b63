/** Axis maths for the timeline: where bars go and which ticks to draw. */

const STEPS_MS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
  1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/** A round step giving at most about `target` ticks over `spanMs`. */
export function tickStep(spanMs: number, target = 6): number {
  const raw = spanMs / Math.max(target, 1);
  return STEPS_MS.find((s) => s >= raw) ?? Math.ceil(raw / 86_400_000) * 86_400_000;
}

/** Tick offsets (ms from the start) from 0 up to spanMs. */
export function ticks(spanMs: number, target = 6): number[] {
  const step = tickStep(spanMs, target);
  const out: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9 && out.length < 1000; t += step) out.push(t);
  return out;
}

/** Label for an offset on an axis whose ticks are `step` apart: "0", "250ms", "1.5s", "2m", "1h 30m". */
export function tickLabel(ms: number, step: number): string {
  if (ms === 0) return "0";
  if (step < 1000) return ms < 1000 ? `${ms}ms` : `${+(ms / 1000).toFixed(3)}s`;
  if (step < 60_000) return ms < 60_000 ? `${+(ms / 1000).toFixed(1)}s` : `${Math.floor(ms / 60_000)}m ${(ms % 60_000) / 1000}s`;
  if (step < 3_600_000) return ms < 3_600_000 ? `${+(ms / 60_000).toFixed(1)}m` : `${Math.floor(ms / 3_600_000)}h ${(ms % 3_600_000) / 60_000}m`;
  return `${+(ms / 3_600_000).toFixed(1)}h`;
}

export interface Span {
  /** Left edge, percent of the axis. */
  left: number;
  /** Width, percent of the axis (0 for an instant). */
  width: number;
}

/** Places [start, end] on an axis [t0, t0 + spanMs] as percentages. */
export function place(start: number, end: number, t0: number, spanMs: number): Span {
  const left = ((start - t0) / spanMs) * 100;
  const width = (Math.max(end - start, 0) / spanMs) * 100;
  return { left: clamp(left), width: Math.min(width, 100 - clamp(left)) };
}

const clamp = (n: number) => Math.min(Math.max(n, 0), 100);
