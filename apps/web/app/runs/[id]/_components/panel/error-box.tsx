"use client";

import { useId, useMemo, useState } from "react";
import { cutString } from "@/components/json-shape";

/**
 * A failure's message and stack. The stack is open by default (it is what a failed
 * task is looked at for) and can be folded away; a very long message is cut with
 * "show all" so the stack stays in reach.
 */
export function ErrorBox({ message, stack, loading = false }: { message: string | null; stack: string | null; loading?: boolean }) {
  const [stackOpen, setStackOpen] = useState(true);
  const [whole, setWhole] = useState(false);
  const stackId = useId();
  const cut = useMemo(() => cutString(message ?? "", 600, 10), [message]);
  const lines = stack ? stack.split("\n").length : 0;
  return (
    <div className="rounded-md border border-rose-200 bg-rose-50 p-3" data-testid="task-error">
      <p className="text-sm font-medium break-words whitespace-pre-wrap text-rose-800" data-testid="error-message">
        {message ? (whole ? message : cut.head) : "Failed without a message"}
        {!whole && cut.hidden > 0 && "…"}
      </p>
      {cut.hidden > 0 && (
        <button type="button" onClick={() => setWhole(!whole)} className="mt-1 text-xs font-medium text-rose-700 underline-offset-2 hover:underline">
          {whole ? "Show less" : `Show all (${cut.hidden.toLocaleString("en-US")} more chars)`}
        </button>
      )}
      {stack && (
        <div className="mt-2 border-t border-rose-200/70 pt-2">
          <button
            type="button"
            aria-expanded={stackOpen}
            aria-controls={stackId}
            onClick={() => setStackOpen(!stackOpen)}
            className="flex items-center gap-1 rounded text-xs font-medium text-rose-700 hover:text-rose-900 focus-visible:outline-2 focus-visible:outline-rose-500"
          >
            <span className={`inline-block text-[9px] transition-transform ${stackOpen ? "rotate-90" : ""}`} aria-hidden="true">
              ▶
            </span>
            Stack trace
            <span className="font-normal">
              ({lines} {lines === 1 ? "line" : "lines"})
            </span>
          </button>
          {stackOpen && (
            <pre id={stackId} className="mt-1.5 max-h-64 overflow-auto font-mono text-[11px] leading-relaxed whitespace-pre text-rose-900/80" data-testid="error-stack">
              {stack}
            </pre>
          )}
        </div>
      )}
      {!stack && loading && <div className="mt-2 h-3 w-1/2 animate-pulse rounded bg-rose-200/60" aria-busy="true" />}
    </div>
  );
}
