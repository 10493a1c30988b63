import { performance } from "node:perf_hooks";

/** The middle value (the upper one of an even count); NaN for none. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The 90th percentile, nearest rank below; NaN for none. */
export const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)] ?? Number.NaN;

/** "12.3 / 45.6 ms": the median and p90 of samples in ms. */
export const medianAndP90 = (xs) => `${median(xs).toFixed(1)} / ${p90(xs).toFixed(1)} ms`;

/** Median of `repeat` calls of `fn` after one warm-up call: { ms, last } (last: the final call's value). */
export async function timed(fn, repeat) {
  let last = await fn();
  const out = [];
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    last = await fn();
    out.push(performance.now() - t);
  }
  return { ms: median(out), last };
}
