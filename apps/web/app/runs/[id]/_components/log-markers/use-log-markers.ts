"use client";

import type { LogMarkerView } from "@runtrail/db";
import { useEffect, useMemo, useRef, useState } from "react";

export interface LogMarkers {
  /** Markers by task id; run-level logs under null. Each list in time order. */
  byTask: ReadonlyMap<string | null, readonly LogMarkerView[]>;
  /** How many markers were loaded. */
  shown: number;
  /** The run has more logs than the markers loaded (the server's cap). */
  truncated: boolean;
}

/** While a run logs, reload its markers at most this often. */
const RELOAD_MS = 2000;

const EMPTY: ReadonlyMap<string | null, readonly LogMarkerView[]> = new Map();

/** Groups markers by task, keeping their order. */
export function groupMarkers(markers: readonly LogMarkerView[]): Map<string | null, LogMarkerView[]> {
  const out = new Map<string | null, LogMarkerView[]>();
  for (const m of markers) {
    const list = out.get(m.taskId);
    if (list) list.push(m);
    else out.set(m.taskId, [m]);
  }
  return out;
}

/**
 * The run's log markers from `/runs/:id/log-markers`, loaded after the page has painted
 * (never part of the page's HTML) and only when the run has logs; while `logCount`
 * grows (a live run) they are reloaded, at most every RELOAD_MS, until the cap is hit.
 * A failed load leaves the timeline without markers rather than in an error state.
 */
export function useLogMarkers(runId: string, logCount: number): LogMarkers {
  const [data, setData] = useState<{ markers: LogMarkerView[]; truncated: boolean } | null>(null);
  const loadedFor = useRef(-1);
  const loadedAt = useRef(0);
  const truncated = data?.truncated ?? false;

  useEffect(() => {
    if (logCount === 0 || logCount === loadedFor.current || truncated) return;
    const controller = new AbortController();
    // A throttle, not a debounce: a run that logs non-stop still gets fresh markers.
    const wait = Math.max(loadedAt.current + RELOAD_MS - Date.now(), 0);
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/runs/${encodeURIComponent(runId)}/log-markers`, { signal: controller.signal });
        if (!res.ok) return;
        const body = (await res.json()) as { markers: LogMarkerView[]; truncated: boolean };
        loadedFor.current = logCount;
        loadedAt.current = Date.now();
        setData(body);
      } catch {
        // Aborted, or the server is away: the markers are a garnish; the next change retries.
      }
    }, wait);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [runId, logCount, truncated]);

  const byTask = useMemo(() => (data ? groupMarkers(data.markers) : EMPTY), [data]);
  return { byTask, shown: data?.markers.length ?? 0, truncated };
}
