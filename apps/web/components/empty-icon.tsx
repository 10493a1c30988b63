/** The mark above an empty state, in a soft tile: timeline bars for "nothing recorded yet", a lens for "nothing matches". */
export function EmptyIcon({ kind }: { kind: "runs" | "search" }) {
  return (
    <div className="mx-auto flex size-12 items-center justify-center rounded-xl bg-zinc-50 ring-1 ring-zinc-200">
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden="true">
        {kind === "runs" ? (
          <>
            <rect x="2" y="4" width="9" height="3.5" rx="1.75" className="fill-run-completed" />
            <rect x="7" y="10.25" width="13" height="3.5" rx="1.75" className="fill-run-running" />
            <rect x="5" y="16.5" width="7" height="3.5" rx="1.75" className="fill-zinc-300" />
          </>
        ) : (
          <path d="M10.5 17a6.5 6.5 0 100-13 6.5 6.5 0 000 13zM15.5 15.5 20 20" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" className="text-zinc-400" />
        )}
      </svg>
    </div>
  );
}
