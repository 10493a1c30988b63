"use client";

import { useCallback, useRef, useState } from "react";
import { useDismiss } from "@/components/auth/use-dismiss";

const FORMATS = [
  { format: "csv", label: "CSV", hint: "One row per task, for spreadsheets" },
  { format: "json", label: "JSON", hint: "The run and its tasks, payloads included" },
] as const;

/**
 * "Export" in the run header: the run's tasks as a CSV or JSON download, streamed by
 * /runs/:id/export (the API's export, for the viewer's project). Plain links: the
 * browser downloads the file itself, however large.
 */
export function ExportMenu({ runId, taskCount, running }: { runId: string; taskCount: number; running: boolean }) {
  const [open, setOpen] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(box, open, close);
  const tasks = `${taskCount.toLocaleString("en")} ${taskCount === 1 ? "task" : "tasks"}${running ? " so far" : ""}`;

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        data-testid="export-menu"
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-1.5 rounded-md bg-white px-3 py-1.5 text-sm font-medium text-zinc-700 ring-1 ring-zinc-200 hover:bg-zinc-50"
      >
        <svg viewBox="0 0 16 16" className="size-3.5" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
          <path d="M8 2.5v7.5m0 0 3-3m-3 3-3-3M3 12.5h10" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        Export
      </button>
      {open && (
        <div role="menu" aria-label="Export tasks" className="absolute top-full right-0 z-30 mt-2 w-72 overflow-hidden rounded-lg border border-zinc-200 bg-white py-1 text-sm shadow-lg">
          <p className="border-b border-zinc-100 px-3 pt-1.5 pb-2 text-xs text-zinc-500">Download {tasks}</p>
          {FORMATS.map((f) => (
            <a
              key={f.format}
              role="menuitem"
              href={`/runs/${encodeURIComponent(runId)}/export?format=${f.format}`}
              download
              onClick={close}
              className="block px-3 py-2 hover:bg-zinc-50"
            >
              <span className="font-medium text-zinc-900">{f.label}</span>
              <span className="mt-0.5 block text-xs text-zinc-500">{f.hint}</span>
            </a>
          ))}
        </div>
      )}
    </div>
  );
}
