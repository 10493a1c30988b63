"use client";

import type { ProjectRef } from "@runtrail/db";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { dangerButton, inputClass, quietButton } from "../../_components/card";
import { ProjectPicker } from "./project-picker";

interface UserSummary {
  id: string;
  email: string;
  role: "admin" | "member";
  disabled: boolean;
  projectIds: string[];
}

/** One user: role, projects, enable/disable and a new password, each saved on its own. */
export function UserRow({ user, self, lastLogin, projects }: { user: UserSummary; self: boolean; lastLogin: string; projects: ProjectRef[] }) {
  const router = useRouter();
  const [panel, setPanel] = useState<"none" | "projects" | "password">("none");
  const [projectIds, setProjectIds] = useState(user.projectIds);
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(changes: Record<string, unknown>) {
    setBusy(true);
    setError(null);
    const res = await sendJson(`/manage/users/${encodeURIComponent(user.id)}`, changes, "PATCH");
    setBusy(false);
    if (!res.ok) return setError(res.error);
    setPanel("none");
    setPassword("");
    router.refresh();
  }

  const names = user.projectIds.map((id) => projects.find((p) => p.id === id)?.name ?? id);
  return (
    <tr data-testid="user-row" data-email={user.email} className={user.disabled ? "bg-zinc-50/70 text-zinc-400" : "text-zinc-800"}>
      <td className="px-5 py-3 align-top">
        <span className="font-medium">{user.email}</span>
        {self && <span className="ml-2 rounded-full bg-sky-50 px-2 py-0.5 text-[11px] font-medium text-sky-700 ring-1 ring-sky-200">you</span>}
        {user.disabled && <span className="ml-2 rounded-full bg-zinc-100 px-2 py-0.5 text-[11px] font-medium text-zinc-500">disabled</span>}
        {panel === "password" && (
          <form
            className="mt-2 flex items-center gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              void save({ password });
            }}
          >
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} minLength={10} required placeholder="New password" aria-label={`New password for ${user.email}`} className={`${inputClass} w-52`} autoComplete="new-password" />
            <button type="submit" disabled={busy} className={quietButton}>
              Set
            </button>
          </form>
        )}
        {error && <p className="mt-1 text-xs text-rose-700">{error}</p>}
      </td>
      <td className="px-3 py-3 align-top">
        <select
          value={user.role}
          disabled={busy}
          aria-label={`Role of ${user.email}`}
          onChange={(e) => void save({ role: e.target.value })}
          className="rounded-md border border-zinc-200 bg-white px-2 py-1 text-sm"
        >
          <option value="member">Member</option>
          <option value="admin">Admin</option>
        </select>
      </td>
      <td className="px-3 py-3 align-top">
        {user.role === "admin" ? (
          <span className="text-zinc-500">All projects</span>
        ) : panel === "projects" ? (
          <div className="space-y-2">
            <ProjectPicker projects={projects} value={projectIds} onChange={setProjectIds} />
            <span className="flex gap-2">
              <button type="button" disabled={busy} onClick={() => void save({ projectIds })} className={quietButton}>
                Save
              </button>
              <button type="button" onClick={() => (setPanel("none"), setProjectIds(user.projectIds))} className="text-sm text-zinc-500 hover:text-zinc-800">
                Cancel
              </button>
            </span>
          </div>
        ) : (
          <button type="button" onClick={() => setPanel("projects")} className="text-left hover:underline" title="Change projects">
            {names.length > 0 ? names.join(", ") : <span className="text-amber-700">None yet</span>}
          </button>
        )}
      </td>
      <td className="px-3 py-3 align-top text-zinc-500">{lastLogin}</td>
      <td className="px-5 py-3 align-top">
        <span className="flex justify-end gap-2">
          <button type="button" onClick={() => setPanel(panel === "password" ? "none" : "password")} className={quietButton}>
            Password
          </button>
          <button type="button" disabled={busy} onClick={() => void save({ disabled: !user.disabled })} className={user.disabled ? quietButton : dangerButton}>
            {user.disabled ? "Enable" : "Disable"}
          </button>
        </span>
      </td>
    </tr>
  );
}
