/**
 * The rows [first, last) a virtual list renders for a viewport `height` tall scrolled
 * to `top`, with `overscan` rows either side, clamped to [0, count].
 */
export function visibleRange(top: number, height: number, rowHeight: number, count: number, overscan: number): { first: number; last: number } {
  const first = Math.max(Math.floor(top / rowHeight) - overscan, 0);
  const last = Math.min(Math.ceil((top + height) / rowHeight) + overscan, count);
  return { first: Math.min(first, last), last };
}
