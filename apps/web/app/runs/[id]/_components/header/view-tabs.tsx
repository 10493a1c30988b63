"use client";

export type RunPageView = "timeline" | "compare";

const TABS: { id: RunPageView; label: string }[] = [
  { id: "timeline", label: "Timeline" },
  { id: "compare", label: "Compare with last success" },
];

/** The run page's two views; arrow keys move between the tabs, as in any tab list. */
export function ViewTabs({ view, onChange }: { view: RunPageView; onChange: (view: RunPageView) => void }) {
  return (
    <div
      role="tablist"
      aria-label="Run views"
      className="flex gap-1 border-b border-zinc-200"
      onKeyDown={(e) => {
        if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
        const i = TABS.findIndex((t) => t.id === view);
        const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
        if (next) {
          onChange(next.id);
          document.getElementById(`run-tab-${next.id}`)?.focus();
        }
        e.preventDefault();
      }}
    >
      {TABS.map((t) => (
        <button
          key={t.id}
          id={`run-tab-${t.id}`}
          type="button"
          role="tab"
          aria-selected={view === t.id}
          aria-controls={`run-view-${t.id}`}
          tabIndex={view === t.id ? 0 : -1}
          onClick={() => onChange(t.id)}
          className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-sky-500 ${
            view === t.id ? "border-sky-600 text-zinc-900" : "border-transparent text-zinc-500 hover:border-zinc-300 hover:text-zinc-800"
          }`}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
