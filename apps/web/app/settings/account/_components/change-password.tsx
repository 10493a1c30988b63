"use client";

import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { FormError, inputClass, primaryButton } from "../../_components/card";

export function ChangePassword() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [again, setAgain] = useState("");
  const [done, setDone] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    if (next !== again) return { error: "The two new passwords differ." };
    setDone(false);
    const res = await sendJson("/manage/account/password", { currentPassword: current, newPassword: next });
    if (!res.ok) return { error: res.error };
    setDone(true);
    setCurrent("");
    setNext("");
    setAgain("");
  });

  return (
    <form className="max-w-md space-y-3" onSubmit={onSubmit}>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">Current password</span>
        <input type="password" value={current} onChange={(e) => setCurrent(e.target.value)} required autoComplete="current-password" className={inputClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">New password (10+ characters)</span>
        <input type="password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={10} autoComplete="new-password" className={inputClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">New password again</span>
        <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} required autoComplete="new-password" className={inputClass} />
      </label>
      <FormError message={error} />
      {done && <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800">Password changed. Other sessions were signed out.</p>}
      <button type="submit" disabled={busy} className={primaryButton}>
        {busy ? "Saving…" : "Change password"}
      </button>
    </form>
  );
}
