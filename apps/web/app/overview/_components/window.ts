/** Time ranges of the overview and the bucket each is charted in (no server imports: the picker uses it too). */
export const OVERVIEW_RANGES = [
  { key: "1h", label: "1 h", long: "last hour", ms: 3_600_000, bucketMs: 5 * 60_000, bucketLabel: "5 minutes" },
  { key: "24h", label: "24 h", long: "last 24 hours", ms: 86_400_000, bucketMs: 3_600_000, bucketLabel: "hour" },
  { key: "7d", label: "7 d", long: "last 7 days", ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000, bucketLabel: "6 hours" },
  { key: "30d", label: "30 d", long: "last 30 days", ms: 30 * 86_400_000, bucketMs: 86_400_000, bucketLabel: "day (UTC)" },
] as const;

export type OverviewRange = (typeof OVERVIEW_RANGES)[number];
export type OverviewRangeKey = OverviewRange["key"];

export const DEFAULT_RANGE: OverviewRangeKey = "24h";

export function readRange(value: string | string[] | undefined): OverviewRange {
  const key = Array.isArray(value) ? value[0] : value;
  return OVERVIEW_RANGES.find((r) => r.key === key) ?? (OVERVIEW_RANGES.find((r) => r.key === DEFAULT_RANGE) as OverviewRange);
}

/**
 * The window charted for a range: it starts on a bucket boundary (UTC) at or before
 * `now - range` and ends at the end of the bucket holding `now`, so every bucket is
 * whole and the newest one fills up as runs arrive.
 */
export function windowOf(range: OverviewRange, now: number): { from: Date; to: Date; bucketMs: number } {
  const b = range.bucketMs;
  const from = Math.floor((now - range.ms) / b) * b;
  const to = (Math.floor(now / b) + 1) * b;
  return { from: new Date(from), to: new Date(to), bucketMs: b };
}
