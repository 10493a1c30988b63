"use client";

import { useEffect, useRef } from "react";
import { SHORTCUTS } from "./timeline-keys";

const GROUPS = ["Rows", "Time axis", "Errors", "Help"] as const;

const POINTER: readonly [string, string][] = [
  ["Ctrl / ⌘ + wheel, pinch", "Zoom around the pointer"],
  ["Shift + wheel, sideways wheel", "Pan"],
  ["Drag the bars", "Pan"],
  ["Drag on the overview", "Choose the part to show"],
  ["Drag the overview's frame", "Pan; its edges resize it"],
  ["Click the overview", "Centre the view there"],
];

function Keys({ keys }: { keys: readonly string[] }) {
  return (
    <span className="flex shrink-0 gap-1">
      {keys.map((k) => (
        <kbd key={k} className="min-w-6 rounded border border-zinc-200 bg-zinc-50 px-1.5 py-0.5 text-center font-sans text-[11px] text-zinc-600 shadow-[0_1px_0_var(--color-zinc-200)]">
          {k}
        </kbd>
      ))}
    </span>
  );
}

/** The timeline's keyboard and pointer shortcuts, in a modal dialog (Esc or a click outside closes it). */
export function TimelineHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    if (!open && el.open) el.close();
  }, [open]);

  return (
    // biome-ignore lint/a11y/useKeyWithClickEvents: a click on the backdrop closes it; the keyboard has Esc (native to a modal dialog)
    <dialog
      ref={dialog}
      aria-labelledby="timeline-help-title"
      data-testid="timeline-help"
      onClose={onClose}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
      className="m-auto w-[min(44rem,calc(100vw-2rem))] rounded-xl bg-white p-0 text-zinc-900 shadow-2xl backdrop:bg-zinc-900/30"
    >
      <div className="flex items-center justify-between border-b border-zinc-100 px-5 py-3">
        <h2 id="timeline-help-title" className="text-sm font-semibold">
          Timeline shortcuts
        </h2>
        <button type="button" onClick={onClose} className="rounded-md px-2 py-1 text-xs text-zinc-500 outline-none hover:bg-zinc-100 hover:text-zinc-900 focus-visible:ring-2 focus-visible:ring-sky-500">
          Close <span className="text-zinc-400">Esc</span>
        </button>
      </div>
      <div className="grid gap-x-8 gap-y-5 px-5 py-4 sm:grid-cols-2">
        {GROUPS.map((group) => (
          <section key={group}>
            <h3 className="mb-2 text-[11px] font-medium tracking-wide text-zinc-400 uppercase">{group}</h3>
            <ul className="space-y-1.5 text-sm">
              {SHORTCUTS.filter((s) => s.group === group).map((s) => (
                <li key={s.action} className="flex items-center justify-between gap-4">
                  <span className="text-zinc-700">{s.label}</span>
                  <Keys keys={s.keys} />
                </li>
              ))}
            </ul>
          </section>
        ))}
        <section className="sm:col-span-2">
          <h3 className="mb-2 text-[11px] font-medium tracking-wide text-zinc-400 uppercase">Pointer</h3>
          <ul className="grid gap-x-8 gap-y-1.5 text-sm sm:grid-cols-2">
            {POINTER.map(([how, what]) => (
              <li key={how} className="flex items-center justify-between gap-4">
                <span className="text-zinc-700">{what}</span>
                <span className="text-right text-xs text-zinc-500">{how}</span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </dialog>
  );
}
