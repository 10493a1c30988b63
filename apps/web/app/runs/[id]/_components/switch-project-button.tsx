"use client";

import { useState } from "react";
import { primaryAction } from "@/components/page-message";
import { sendJson } from "@/lib/client/dashboard-request";

/** Makes `projectId` the dashboard's project, then shows this same address again (now in that project). */
export function SwitchProjectButton({ projectId, projectName }: { projectId: string; projectName: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function go() {
    setBusy(true);
    const res = await sendJson("/auth/project", { projectId });
    if (!res.ok) {
      setBusy(false);
      return setError(res.error ?? `HTTP ${res.status}`);
    }
    window.location.reload();
  }
  return (
    <span className="inline-flex flex-col items-center gap-2">
      <button
        type="button"
        onClick={() => void go()}
        disabled={busy}
        className={`${primaryAction} disabled:opacity-60`}
      >
        {busy ? "Switching…" : `Switch to ${projectName}`}
      </button>
      {error && (
        <span role="alert" className="text-xs text-rose-600">
          {error}
        </span>
      )}
    </span>
  );
}
