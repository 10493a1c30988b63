/** Time range presets of the runs list (also used by its client-side select: no server imports here). */
export const RANGES = [
  { key: "1h", label: "Last 1 h", ms: 3_600_000 },
  { key: "24h", label: "Last 24 h", ms: 86_400_000 },
  { key: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { key: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
] as const;
export type RangeKey = (typeof RANGES)[number]["key"] | "all" | "custom";
