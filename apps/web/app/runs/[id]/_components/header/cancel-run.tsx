"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import { csrfHeaders } from "@/lib/client/dashboard-request";

const MAX_REASON = 2000;

/**
 * "Cancel run" with a small confirm popover (an optional reason, then Cancel run /
 * Keep running). The new state arrives over the page's live stream; when that is not
 * connected, or the run had already finished (409), the page is refreshed instead.
 */
export function CancelRun({ runId, running, streaming }: { runId: string; running: boolean; streaming: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const field = useId();

  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (box.current && e.target instanceof Node && !box.current.contains(e.target)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") setOpen(false);
    };
    document.addEventListener("pointerdown", onDown);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", onDown);
      document.removeEventListener("keydown", onKey);
    };
  }, [open]);

  async function submit() {
    setBusy(true);
    setError(null);
    try {
      const res = await fetch(`/runs/${encodeURIComponent(runId)}/cancel`, {
        method: "POST",
        headers: { "content-type": "application/json", ...csrfHeaders() },
        body: JSON.stringify(reason.trim() ? { reason: reason.trim() } : {}),
      });
      if (res.ok) {
        setOpen(false);
        setReason("");
        if (!streaming) router.refresh();
        return;
      }
      const body = (await res.json().catch(() => null)) as { error?: { message?: string; status?: string } } | null;
      if (res.status === 409) {
        setError(`This run has already ended${body?.error?.status ? ` (${body.error.status.replace("_", " ")})` : ""}.`);
        router.refresh();
      } else {
        setError(body?.error?.message ?? `Cancel failed (HTTP ${res.status}).`);
      }
    } catch (err) {
      setError(`Cancel failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(false);
    }
  }

  if (!running) {
    // Only a failed attempt is left to show: why the run could not be cancelled.
    return error ? (
      <p role="alert" className="text-sm text-rose-700">
        {error}
      </p>
    ) : null;
  }

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => {
          setOpen((o) => !o);
          setError(null);
        }}
        className="rounded-md bg-white px-3 py-1.5 text-sm font-medium text-rose-700 ring-1 ring-rose-200 hover:bg-rose-50"
      >
        Cancel run
      </button>
      {open && (
        <div role="dialog" aria-label="Cancel this run" className="absolute top-full right-0 z-20 mt-2 w-80 space-y-3 rounded-lg border border-zinc-200 bg-white p-4 shadow-lg">
          <div>
            <p className="text-sm font-semibold text-zinc-900">Cancel this run?</p>
            <p className="mt-1 text-xs text-zinc-500">Running tasks are marked cancelled; the process learns it at its next report.</p>
          </div>
          <form
            className="space-y-3"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <div className="space-y-1">
              <label htmlFor={field} className="text-xs font-medium text-zinc-600">
                Reason <span className="font-normal text-zinc-400">(optional)</span>
              </label>
              <input
                id={field}
                // biome-ignore lint/a11y/noAutofocus: the popover opened on purpose; its one field takes the focus.
                autoFocus
                value={reason}
                maxLength={MAX_REASON}
                onChange={(e) => setReason(e.target.value)}
                placeholder="e.g. wrong input file"
                className="w-full rounded-md border border-zinc-300 px-2.5 py-1.5 text-sm outline-none focus:border-sky-500 focus:ring-2 focus:ring-sky-500/20"
              />
            </div>
            {error && (
              <p role="alert" className="rounded-md bg-rose-50 px-2.5 py-1.5 text-xs text-rose-800">
                {error}
              </p>
            )}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setOpen(false)} className="rounded-md px-3 py-1.5 text-sm text-zinc-700 hover:bg-zinc-100">
                Keep running
              </button>
              <button type="submit" disabled={busy} className="rounded-md bg-rose-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-60">
                {busy ? "Cancelling…" : "Cancel run"}
              </button>
            </div>
          </form>
        </div>
      )}
    </div>
  );
}
