"use client";

import Link from "next/link";
import { useCallback, useRef, useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useDismiss } from "./use-dismiss";

/** The signed-in user's menu: who, which role, Settings, Sign out. */
export function UserMenu({ email, role }: { email: string; role: string }) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLDivElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(box, open, close);

  async function signOut() {
    setBusy(true);
    const res = await sendJson<{ next: string }>("/auth/logout", {});
    window.location.assign(res.data?.next ?? "/login");
  }

  return (
    <div ref={box} className="relative">
      <button
        type="button"
        data-testid="user-menu"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={`Account: ${email}`}
        onClick={() => setOpen((o) => !o)}
        className="flex size-8 items-center justify-center rounded-full bg-sky-600 text-sm font-semibold text-white uppercase ring-2 ring-white hover:bg-sky-500"
      >
        {email.slice(0, 1)}
      </button>
      {open && (
        <div role="menu" className="absolute top-full right-0 z-30 mt-2 w-64 overflow-hidden rounded-lg border border-zinc-200 bg-white py-1 text-sm text-zinc-800 shadow-lg">
          <div className="border-b border-zinc-100 px-3 pt-2 pb-2.5">
            <p className="truncate font-medium text-zinc-900">{email}</p>
            <p className="mt-0.5 text-xs text-zinc-500">{role === "admin" ? "Admin: every project" : "Member"}</p>
          </div>
          <Link href="/settings/account" role="menuitem" onClick={close} className="block px-3 py-2 hover:bg-zinc-50">
            Account
          </Link>
          <Link href="/settings/keys" role="menuitem" onClick={close} className="block px-3 py-2 hover:bg-zinc-50">
            Settings
          </Link>
          <button type="button" role="menuitem" disabled={busy} onClick={() => void signOut()} className="block w-full border-t border-zinc-100 px-3 py-2 text-left text-rose-700 hover:bg-rose-50 disabled:opacity-60">
            {busy ? "Signing out…" : "Sign out"}
          </button>
        </div>
      )}
    </div>
  );
}
