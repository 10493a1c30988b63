import type { LogMarkerView } from "@runtrail/db";

export type LogLevel = LogMarkerView["level"];

const SEVERITY: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One drawn marker: one log, or several logs too close together to tell apart. */
export interface MarkerCluster {
  /** Percent of the visible window. */
  left: number;
  /** The loudest level among the logs: a warning next to ten infos still shows. */
  level: LogLevel;
  /** The logs it stands for, in time order. */
  logs: LogMarkerView[];
}

/**
 * The markers of one row inside the window [from, from + span] (absolute ms), merged
 * when they fall within `gap` percent of the window of the previous one, so a task with
 * thousands of logs draws a few dozen markers. `markers` must be in time order.
 */
export function clusterMarkers(markers: readonly LogMarkerView[], from: number, span: number, gap = 0.6): MarkerCluster[] {
  const out: MarkerCluster[] = [];
  const to = from + span;
  for (const m of markers) {
    if (m.at < from || m.at > to) continue;
    const left = ((m.at - from) / span) * 100;
    const last = out[out.length - 1];
    if (last && left - last.left < gap) {
      last.logs.push(m);
      if (SEVERITY[m.level] > SEVERITY[last.level]) last.level = m.level;
    } else {
      out.push({ left, level: m.level, logs: [m] });
    }
  }
  return out;
}

/** Marker colours by level: debug and info stay quiet, warn and error stand out. */
export const LEVEL_STYLE: Record<LogLevel, { label: string; marker: string }> = {
  debug: { label: "Debug", marker: "size-1.5 bg-zinc-400" },
  info: { label: "Info", marker: "size-1.5 bg-sky-500" },
  warn: { label: "Warning", marker: "size-2.5 bg-amber-500" },
  error: { label: "Error", marker: "size-2.5 bg-rose-600" },
};
