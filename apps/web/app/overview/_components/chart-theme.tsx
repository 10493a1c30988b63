import type { RunStatus } from "@runtrail/db";

/** Chart colours: the same theme variables as the status badges and timeline bars (globals.css). */
export const STATUS_FILL: Record<RunStatus, string> = {
  completed: "var(--color-run-completed)",
  failed: "var(--color-run-failed)",
  cancelled: "var(--color-run-cancelled)",
  timed_out: "var(--color-run-timed_out)",
  running: "var(--color-run-running)",
};

/** Greys and surfaces as theme variables too, so the charts follow the light and dark themes. */
export const AXIS = { fontSize: 11, fill: "var(--color-zinc-500)" } as const;
export const GRID = "var(--color-zinc-100)";
export const TOOLTIP_STYLE = {
  contentStyle: {
    borderRadius: 8,
    border: "1px solid var(--color-zinc-200)",
    backgroundColor: "var(--color-white)",
    color: "var(--color-zinc-700)",
    boxShadow: "0 4px 12px rgb(0 0 0 / 0.12)",
    fontSize: 12,
    padding: "8px 10px",
  },
  labelStyle: { color: "var(--color-zinc-900)", fontWeight: 600, marginBottom: 4 },
  itemStyle: { padding: 0 },
  cursor: { fill: "var(--color-zinc-100)", fillOpacity: 0.7 },
} as const;

/** Legend in series order (recharts sorts by name otherwise), grey text beside coloured dots. */
export const LEGEND = {
  iconType: "circle",
  iconSize: 8,
  itemSorter: null,
  wrapperStyle: { fontSize: 12, paddingTop: 8, color: "var(--color-zinc-600)" },
  formatter: (value: unknown) => <span style={{ color: "var(--color-zinc-600)" }}>{String(value)}</span>,
} as const;

/** Cost axis ticks: two significant digits, so small amounts do not repeat as "$0.01". */
export function costTick(usd: number): string {
  if (usd === 0) return "$0";
  return usd >= 100 ? `$${Math.round(usd).toLocaleString("en-US")}` : `$${Number(usd.toPrecision(2))}`;
}

const DAY = 86_400_000;

/** x-axis tick of a bucket start: clock time for sub-day buckets within a day, dates beyond. */
export function bucketTick(iso: string, bucketMs: number, spanMs: number): string {
  const d = new Date(iso);
  const time = d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  const date = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  if (bucketMs >= DAY) return date;
  if (spanMs > 2 * DAY) return d.getUTCHours() === 0 ? date : time;
  return time;
}

/**
 * Explicit x ticks for windows of several days: one per UTC midnight, labelled with the
 * date (left to recharts, 6-hour buckets get ticks that all read "18:00"). Undefined
 * for shorter windows, where recharts' own spacing of clock times reads well.
 */
export function dayTicks(rows: { start: string }[], bucketMs: number): string[] | undefined {
  if (rows.length * bucketMs <= 2 * DAY) return undefined;
  return rows.filter((r) => new Date(r.start).getTime() % DAY === 0).map((r) => r.start);
}

/** Tooltip title of a bucket: its interval in UTC. */
export function bucketLabel(iso: string, bucketMs: number): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString("en-GB", { day: "numeric", month: "short", timeZone: "UTC" });
  if (bucketMs >= DAY) return `${date} (UTC)`;
  const hm = (x: Date) => x.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
  return `${date}, ${hm(d)}–${hm(new Date(d.getTime() + bucketMs))} UTC`;
}

export function formatCost(usd: number): string {
  if (usd === 0) return "$0";
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 100) return `$${usd.toFixed(2)}`;
  return `$${Math.round(usd).toLocaleString("en-US")}`;
}

export function formatCount(n: number): string {
  return Intl.NumberFormat("en-US", { notation: n >= 10_000 ? "compact" : "standard", maximumFractionDigits: 1 }).format(n);
}
