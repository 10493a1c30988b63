"use client";

import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { FormError, inputClass, primaryButton } from "../../_components/card";

/** Creates a project and switches the dashboard to it, ready for its first key. */
export function CreateProject() {
  const [name, setName] = useState("");
  const { busy, error, onSubmit } = useSubmit(async () => {
    const made = await sendJson<{ project: { id: string } }>("/manage/projects", { name });
    if (!made.ok || !made.data) return { error: made.error };
    await sendJson("/auth/project", { projectId: made.data.project.id });
    return { navigate: "/settings/keys" };
  });

  return (
    <form className="space-y-3" onSubmit={onSubmit}>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex min-w-64 flex-1 flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600">New project</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required placeholder="e.g. Support agent" className={inputClass} />
        </label>
        <button type="submit" disabled={busy || name.trim() === ""} className={primaryButton}>
          {busy ? "Creating…" : "Create project"}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
