"use client";

import type { ProjectRef } from "@runtrail/db";

/** Checkboxes of projects; `value` is the ticked ids. */
export function ProjectPicker({ projects, value, onChange }: { projects: ProjectRef[]; value: string[]; onChange: (ids: string[]) => void }) {
  return (
    <div className="flex flex-wrap gap-2">
      {projects.map((p) => {
        const on = value.includes(p.id);
        return (
          <label key={p.id} className={`flex cursor-pointer items-center gap-1.5 rounded-md px-2.5 py-1 text-sm ring-1 ${on ? "bg-sky-50 text-sky-900 ring-sky-200" : "bg-white text-zinc-600 ring-zinc-200 hover:bg-zinc-50"}`}>
            <input type="checkbox" className="accent-sky-600" checked={on} onChange={() => onChange(on ? value.filter((x) => x !== p.id) : [...value, p.id])} />
            {p.name}
          </label>
        );
      })}
    </div>
  );
}
