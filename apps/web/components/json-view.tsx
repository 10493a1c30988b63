"use client";

import { useMemo, useState } from "react";
import { CopyButton } from "./copy-button";
import { JsonNode, type OpenMode, OpenModeContext } from "./json-node";
import { formatBytes, hasNestedContainer, truncatedMarker } from "./json-shape";

const TOOL = "rounded px-1.5 py-0.5 text-[11px] font-medium text-zinc-500 hover:bg-zinc-200/70 hover:text-zinc-800 focus-visible:outline-2 focus-visible:outline-sky-500";

/**
 * A JSON value as a tree: containers collapsible with their sizes, long strings and
 * big containers cut with "show all" / "show more", the SDK's truncation marker as a
 * notice. Collapsed parts are not rendered at all, so a 256 KiB value costs what is
 * open. Everything renders as text, never as HTML.
 */
export function JsonView({ value, label = "value" }: { value: unknown; label?: string }) {
  const [mode, setMode] = useState<{ open: OpenMode; epoch: number }>({ open: "auto", epoch: 0 });
  const bytes = useMemo(() => new TextEncoder().encode(JSON.stringify(value) ?? "").length, [value]);
  if (value === null || value === undefined) return <p className="text-sm text-zinc-400 italic">none</p>;
  const marker = truncatedMarker(value);
  const nested = !marker && hasNestedContainer(value);
  // Remounting the tree (a new key) restarts every container from the chosen mode.
  const openAll = (open: OpenMode) => setMode((m) => ({ open, epoch: m.epoch + 1 }));
  return (
    <div className="overflow-hidden rounded-md bg-zinc-50 ring-1 ring-zinc-200 ring-inset" data-testid="json-view">
      <div className="flex items-center gap-1 border-b border-zinc-200/80 px-2 py-1">
        <span className="mr-auto pl-1 text-[11px] text-zinc-400 tabular-nums" title={`${bytes.toLocaleString("en-US")} bytes of JSON stored`}>
          {marker ? `${formatBytes(bytes)} stored of ${formatBytes(marker.originalBytes)}` : formatBytes(bytes)}
        </span>
        {nested && (
          <>
            <button type="button" className={TOOL} onClick={() => openAll("all")}>
              Expand all
            </button>
            <button type="button" className={TOOL} onClick={() => openAll("none")}>
              Collapse all
            </button>
          </>
        )}
        <CopyButton text={() => JSON.stringify(value, null, 2) ?? ""} label={`Copy ${label} as JSON`} className={TOOL} />
      </div>
      <div className="max-h-[28rem] overflow-auto px-2 py-1.5 font-mono text-xs leading-5 text-zinc-800">
        <OpenModeContext.Provider value={mode.open}>
          <JsonNode key={mode.epoch} name={null} value={value} depth={0} />
        </OpenModeContext.Provider>
      </div>
    </div>
  );
}
