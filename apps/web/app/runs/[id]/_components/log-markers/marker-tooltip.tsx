"use client";

import { LEVEL_STYLE } from "./log-marker-layout";
import type { MarkerHover } from "./log-marker-dots";
import { formatOffset } from "../axis/timeline-scale";

/** Logs listed in one tooltip; the rest are counted. */
const SHOWN = 4;

/** The message(s) of the log marker under the pointer, just above it (below it near the top of the screen). */
export function MarkerTooltip({ hover, t0 }: { hover: MarkerHover; t0: number }) {
  const { cluster, rect } = hover;
  const above = rect.top > 160;
  const logs = cluster.logs.slice(0, SHOWN);
  return (
    <div
      role="tooltip"
      data-testid="log-marker-tooltip"
      className="pointer-events-none fixed z-50 w-max max-w-sm -translate-x-1/2 rounded-lg bg-zinc-900 px-3 py-2 text-xs text-zinc-100 shadow-lg"
      style={{ left: rect.left + rect.width / 2, ...(above ? { bottom: window.innerHeight - rect.top + 6 } : { top: rect.bottom + 6 }) }}
    >
      <ul className="space-y-1.5">
        {logs.map((log, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: markers have no id, and this list is rebuilt whole for each hover
          <li key={`${log.at}-${i}`} className="flex items-baseline gap-2">
            <span className={`relative -top-px inline-block shrink-0 rounded-full ${LEVEL_STYLE[log.level].marker}`} />
            <span className="shrink-0 text-zinc-400 tabular-nums">{formatOffset(log.at - t0, 1000)}</span>
            <span className="break-words">{log.message || <span className="text-zinc-400 italic">empty message</span>}</span>
          </li>
        ))}
      </ul>
      {cluster.logs.length > SHOWN && <p className="mt-1.5 text-zinc-400">and {cluster.logs.length - SHOWN} more here; zoom in to tell them apart</p>}
    </div>
  );
}
