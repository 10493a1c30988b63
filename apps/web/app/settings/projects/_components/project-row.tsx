"use client";

import type { ProjectRef } from "@runtrail/db";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { inputClass, quietButton } from "../../_components/card";

interface Props {
  project: ProjectRef;
  current: boolean;
  canRename: boolean;
  runs: string;
  keys: number;
  created: string;
}

/** One project: its numbers, "Open" (switch to it) and, for admins, an inline rename. */
export function ProjectRow({ project, current, canRename, runs, keys, created }: Props) {
  const router = useRouter();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(project.name);
  const [error, setError] = useState<string | null>(null);

  async function rename() {
    const res = await sendJson(`/manage/projects/${encodeURIComponent(project.id)}`, { name }, "PATCH");
    if (!res.ok) return setError(res.error);
    setEditing(false);
    setError(null);
    router.refresh();
  }

  async function open() {
    const res = await sendJson("/auth/project", { projectId: project.id });
    if (!res.ok) return setError(res.error);
    window.location.assign("/runs");
  }

  return (
    <tr data-testid="project-row" data-project-id={project.id}>
      <td className="px-5 py-3">
        {editing ? (
          <form
            className="flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void rename();
            }}
          >
            {/* biome-ignore lint/a11y/noAutofocus: the rename was asked for; its field takes the focus */}
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus aria-label="Project name" className={`${inputClass} w-56`} />
            <button type="submit" className={quietButton}>
              Save
            </button>
            <button type="button" onClick={() => (setEditing(false), setName(project.name), setError(null))} className="text-sm text-zinc-500 hover:text-zinc-800">
              Cancel
            </button>
          </form>
        ) : (
          <span className="flex items-center gap-2 font-medium text-zinc-900">
            {project.name}
            {current && <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-[11px] font-medium text-emerald-700 ring-1 ring-emerald-200">current</span>}
          </span>
        )}
        {error && <span className="mt-1 block text-xs text-rose-700">{error}</span>}
      </td>
      <td className="px-3 py-3 font-mono text-[12px] text-zinc-500">{project.id}</td>
      <td className="px-3 py-3 text-right tabular-nums">{runs}</td>
      <td className="px-3 py-3 text-right tabular-nums">{keys}</td>
      <td className="px-3 py-3 text-zinc-500">{created}</td>
      <td className="px-5 py-3">
        <span className="flex justify-end gap-2">
          {canRename && !editing && (
            <button type="button" onClick={() => setEditing(true)} className={quietButton}>
              Rename
            </button>
          )}
          {!current && (
            <button type="button" onClick={() => void open()} className={quietButton}>
              Open
            </button>
          )}
        </span>
      </td>
    </tr>
  );
}
