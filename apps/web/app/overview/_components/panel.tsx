/** The card every overview chart sits in, and its loading skeleton of the same size. */
export function Panel({ title, hint, aside, children, id }: { title: string; hint?: string; aside?: React.ReactNode; children: React.ReactNode; id: string }) {
  return (
    <section data-testid={`panel-${id}`} aria-labelledby={`panel-${id}-title`} className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
      <div className="mb-4 flex items-start justify-between gap-4">
        <div>
          <h2 id={`panel-${id}-title`} className="text-sm font-semibold text-zinc-900">
            {title}
          </h2>
          {hint && <p className="mt-0.5 text-xs text-zinc-500">{hint}</p>}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}

export function PanelSkeleton({ title, height = 240 }: { title: string; height?: number }) {
  return (
    <section aria-busy="true" className="rounded-xl border border-zinc-200 bg-white p-5 shadow-sm">
      <h2 className="mb-4 text-sm font-semibold text-zinc-900">{title}</h2>
      <div className="animate-pulse rounded-lg bg-zinc-100" style={{ height }} />
    </section>
  );
}

/** Shown inside a panel when the window has data but not for this chart. */
export function PanelEmpty({ children, height = 240 }: { children: React.ReactNode; height?: number }) {
  return (
    <div className="flex items-center justify-center rounded-lg border border-dashed border-zinc-200 text-sm text-zinc-500" style={{ height }}>
      {children}
    </div>
  );
}
