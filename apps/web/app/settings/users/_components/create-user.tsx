"use client";

import type { ProjectRef } from "@runtrail/db";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { FormError, inputClass, primaryButton } from "../../_components/card";
import { ProjectPicker } from "./project-picker";

export function CreateUser({ projects }: { projects: ProjectRef[] }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<"member" | "admin">("member");
  const [projectIds, setProjectIds] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, onSubmit } = useSubmit(async () => {
    setDone(null);
    const res = await sendJson("/manage/users", { email, password, role, projectIds: role === "member" ? projectIds : [] });
    if (!res.ok) return { error: res.error };
    setDone(`${email} can now sign in.`);
    setEmail("");
    setPassword("");
    setProjectIds([]);
    router.refresh();
  });

  return (
    <form className="space-y-4" onSubmit={onSubmit}>
      <div className="grid gap-3 sm:grid-cols-[1fr_1fr_auto]">
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600">Email</span>
          <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="off" className={inputClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600">Password (10+ characters)</span>
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={10} autoComplete="new-password" className={inputClass} />
        </label>
        <label className="flex flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600">Role</span>
          <select value={role} onChange={(e) => setRole(e.target.value === "admin" ? "admin" : "member")} className={inputClass}>
            <option value="member">Member</option>
            <option value="admin">Admin</option>
          </select>
        </label>
      </div>
      {role === "member" ? (
        <div className="space-y-1.5">
          <p className="text-xs font-medium text-zinc-600">Projects they see</p>
          <ProjectPicker projects={projects} value={projectIds} onChange={setProjectIds} />
        </div>
      ) : (
        <p className="text-xs text-zinc-500">Admins see every project.</p>
      )}
      <FormError message={error} />
      {done && <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">{done}</p>}
      <button type="submit" disabled={busy} className={primaryButton}>
        {busy ? "Adding…" : "Add user"}
      </button>
    </form>
  );
}
