"use client";

import type { LogMarkerView } from "@runtrail/db";
import { memo } from "react";
import { clusterMarkers, LEVEL_STYLE, type MarkerCluster } from "./log-marker-layout";

/** What the tooltip shows: the logs under the pointer and where they are on screen. */
export interface MarkerHover {
  cluster: MarkerCluster;
  rect: { left: number; top: number; bottom: number; width: number };
}

interface Props {
  markers: readonly LogMarkerView[];
  /** The visible window, absolute ms. */
  from: number;
  span: number;
  onHover: (hover: MarkerHover | null) => void;
}

/** A row's log markers inside the visible window, coloured by level, merged where they crowd. */
export const LogMarkerDots = memo(function LogMarkerDots({ markers, from, span, onHover }: Props) {
  return (
    <>
      {clusterMarkers(markers, from, span).map((c) => (
        <span
          key={`${c.logs[0]?.at}-${c.left}`}
          role="img"
          data-testid="log-marker"
          data-level={c.level}
          aria-label={`${LEVEL_STYLE[c.level].label}: ${c.logs[0]?.message ?? ""}${c.logs.length > 1 ? ` and ${c.logs.length - 1} more` : ""}`}
          className="absolute top-1/2 z-[1] flex size-4 -translate-x-1/2 -translate-y-1/2 items-center justify-center"
          style={{ left: `${c.left}%` }}
          onPointerEnter={(e) => {
            const r = e.currentTarget.getBoundingClientRect();
            onHover({ cluster: c, rect: { left: r.left, top: r.top, bottom: r.bottom, width: r.width } });
          }}
          onPointerLeave={() => onHover(null)}
        >
          <span className={`rounded-full ring-2 ring-white ${LEVEL_STYLE[c.level].marker}`} />
        </span>
      ))}
    </>
  );
});
