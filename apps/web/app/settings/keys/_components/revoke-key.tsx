"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { dangerButton, quietButton } from "../../_components/card";

/** Revoke, with a confirm step: a revoked key cannot be brought back. */
export function RevokeKey({ projectId, keyId, label }: { projectId: string; keyId: string; label: string }) {
  const router = useRouter();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, submit: revoke } = useSubmit(async () => {
    const res = await sendJson(`/manage/keys/${encodeURIComponent(keyId)}/revoke`, { projectId });
    if (!res.ok) return { error: res.error };
    setConfirming(false);
    router.refresh();
  });

  if (error) return <span className="text-xs text-rose-700">{error}</span>;
  if (!confirming) {
    return (
      <button type="button" onClick={() => setConfirming(true)} className={dangerButton} aria-label={`Revoke ${label}`}>
        Revoke
      </button>
    );
  }
  return (
    <span className="inline-flex items-center gap-2">
      <span className="text-xs text-zinc-500">Stops working at once.</span>
      <button type="button" onClick={() => setConfirming(false)} className={quietButton}>
        Keep
      </button>
      <button type="button" disabled={busy} onClick={() => void revoke()} className="rounded-md bg-rose-600 px-2.5 py-1 text-sm font-medium text-white hover:bg-rose-700 disabled:opacity-60">
        {busy ? "Revoking…" : "Revoke key"}
      </button>
    </span>
  );
}
