"use client";

import type { Loading } from "./use-live-run";

interface Props {
  loading: Loading;
  /** Tasks the page holds (the first ones, and the rest as it is applied). */
  loaded: number;
  /** Tasks the run has (its counter). */
  total: number;
  onRetry: () => void;
}

const count = (n: number) => n.toLocaleString("en-US");

/**
 * While a big run's tasks are still arriving: how many are in, as a small floating pill
 * (it comes and goes without moving the timeline under the pointer). If loading gives
 * up, says so and offers to try again.
 */
export function TimelineLoading({ loading, loaded, total, onRetry }: Props) {
  if (loading.state === "done") return null;
  const of = Math.max(total, loaded, 1);
  // Tasks that arrived but wait for the timeline's next redraw count as loaded here.
  const have = loading.state === "loading" ? Math.min(of, loaded + loading.waiting) : loaded;
  if (loading.state === "failed") {
    return (
      <div
        role="alert"
        data-testid="timeline-loading"
        data-state="failed"
        className="fixed bottom-5 left-1/2 z-30 flex -translate-x-1/2 items-center gap-3 rounded-full border border-rose-200 bg-white py-1.5 pr-1.5 pl-4 text-sm text-rose-800 shadow-lg"
      >
        <span>
          Loaded {count(loaded)} of {count(of)} tasks; the rest failed to load ({loading.message})
        </span>
        <button type="button" onClick={onRetry} className="rounded-full bg-rose-600 px-3 py-1 text-xs font-medium text-white hover:bg-rose-700">
          Retry
        </button>
      </div>
    );
  }
  return (
    <div
      role="status"
      data-testid="timeline-loading"
      data-state="loading"
      className="fixed bottom-5 left-1/2 z-30 flex -translate-x-1/2 items-center gap-3 rounded-full border border-zinc-200 bg-white/95 px-4 py-2 text-sm text-zinc-600 shadow-lg backdrop-blur"
    >
      <span className="size-3.5 animate-spin rounded-full border-2 border-zinc-200 border-t-sky-500" aria-hidden="true" />
      <span className="tabular-nums">
        Loading tasks: {count(have)} of {count(of)}
      </span>
      <span className="h-1.5 w-24 overflow-hidden rounded-full bg-zinc-100" aria-hidden="true">
        <span className="block h-full rounded-full bg-sky-500 transition-[width]" style={{ width: `${Math.min(100, (have / of) * 100)}%` }} />
      </span>
    </div>
  );
}
