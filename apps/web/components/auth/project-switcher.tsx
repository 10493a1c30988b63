"use client";

import type { ProjectRef } from "@runtrail/db";
import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useDismiss } from "./use-dismiss";

/**
 * The header's project menu: the project every page shows, and the others this viewer
 * may see. Switching reloads the page (a run page goes to the new project's runs list:
 * its run belongs to the old one).
 */
export function ProjectSwitcher({ projects, current }: { projects: ProjectRef[]; current: ProjectRef | null }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(box, open, close);

  async function choose(project: ProjectRef) {
    if (project.id === current?.id) return setOpen(false);
    const res = await sendJson("/auth/project", { projectId: project.id });
    if (!res.ok) return setError(res.error);
    const path = window.location.pathname;
    window.location.assign(path.startsWith("/runs/") ? "/runs" : path + window.location.search);
  }

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        data-testid="project-switcher"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex max-w-64 items-center gap-2 rounded-md border border-zinc-200 bg-zinc-100/60 px-2.5 py-1.5 text-sm text-zinc-900 hover:border-zinc-300 hover:bg-zinc-100"
      >
        <span className="text-[11px] font-medium uppercase tracking-wide text-zinc-500">Project</span>
        <span className="truncate font-medium">{current?.name ?? "None"}</span>
        <svg viewBox="0 0 16 16" className="size-3.5 shrink-0 text-zinc-400" aria-hidden="true">
          <path d="M4 6l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      </button>
      {open && (
        <div role="menu" className="absolute top-full right-0 z-30 mt-2 w-72 overflow-hidden rounded-lg border border-zinc-200 bg-white py-1 text-sm text-zinc-800 shadow-lg">
          <p className="px-3 pt-1.5 pb-1 text-[11px] font-medium uppercase tracking-wide text-zinc-400">Switch project</p>
          <div className="max-h-72 overflow-y-auto">
            {projects.map((p) => (
              <button
                key={p.id}
                type="button"
                role="menuitemradio"
                aria-checked={p.id === current?.id}
                onClick={() => void choose(p)}
                className="flex w-full items-center gap-2 px-3 py-2 text-left hover:bg-zinc-50"
              >
                <span className={`size-1.5 shrink-0 rounded-full ${p.id === current?.id ? "bg-emerald-500" : "bg-transparent"}`} />
                <span className="truncate">{p.name}</span>
                <span className="ml-auto font-mono text-[11px] text-zinc-400">{p.id}</span>
              </button>
            ))}
          </div>
          {error && <p className="mx-3 my-1 rounded bg-rose-50 px-2 py-1 text-xs text-rose-800">{error}</p>}
          <div className="mt-1 border-t border-zinc-100 pt-1">
            <Link href="/settings/projects" onClick={close} className="block px-3 py-2 text-zinc-600 hover:bg-zinc-50 hover:text-zinc-900">
              Manage projects…
            </Link>
          </div>
        </div>
      )}
    </div>
  );
}
