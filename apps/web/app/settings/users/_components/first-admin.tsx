"use client";

import { useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { FormError, inputClass, primaryButton } from "../../_components/card";

/** The open dashboard's "create the first admin": on success this browser is signed in as them. */
export function FirstAdmin() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const { busy, error, onSubmit } = useSubmit(async () => {
    if (password !== again) return { error: "The two passwords differ." };
    const res = await sendJson("/manage/users", { email, password, role: "admin" });
    return res.ok ? { navigate: "/settings/users" } : { error: res.error };
  });

  return (
    <form className="max-w-md space-y-3" onSubmit={onSubmit}>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">Admin email</span>
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="username" className={inputClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">Password (10+ characters)</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={10} autoComplete="new-password" className={inputClass} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-medium text-zinc-600">Password again</span>
        <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} required autoComplete="new-password" className={inputClass} />
      </label>
      <FormError message={error} />
      <div className="space-y-2 pt-1">
        <button type="submit" disabled={busy} className={`${primaryButton} whitespace-nowrap`}>
          {busy ? "Creating…" : "Create admin and sign in"}
        </button>
        <p className="text-xs text-zinc-500">
          Or from a shell (server stopped, with PGlite): <code className="font-mono whitespace-nowrap">npm run runtrail -- users create-admin</code>
        </p>
      </div>
    </form>
  );
}
