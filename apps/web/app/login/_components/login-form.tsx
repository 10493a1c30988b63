"use client";

import { useEffect, useId, useState } from "react";
import { useSubmit } from "@/lib/client/use-submit";

const field =
  "block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm shadow-xs outline-none placeholder:text-zinc-400 focus:border-sky-500 focus:ring-2 focus:ring-sky-500/20";

async function formToken(): Promise<string> {
  const res = await fetch("/auth/csrf", { cache: "no-store" });
  return ((await res.json()) as { token: string }).token;
}

/**
 * Email and password. The form's CSRF token comes from GET /auth/csrf (which also sets
 * it as a cookie) before the first submit; a successful sign-in loads `next` afresh, so
 * the whole page renders with the new session.
 */
export function LoginForm({ next }: { next: string }) {
  const [token, setToken] = useState<string | null>(null);
  const ids = { email: useId(), password: useId() };

  useEffect(() => {
    let live = true;
    formToken()
      .then((t) => live && setToken(t))
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  const { busy, error, onSubmit } = useSubmit(async (form) => {
    const data = new FormData(form);
    // Usually fetched on load already; a very quick submit (or a failed first try) asks now.
    const csrf = token ?? (await formToken());
    const res = await fetch("/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": csrf },
      body: JSON.stringify({ email: data.get("email"), password: data.get("password"), next }),
    });
    const body = (await res.json().catch(() => null)) as { next?: string; error?: { message?: string } } | null;
    if (res.ok) return { navigate: body?.next ?? next };
    const message = body?.error?.message ?? `Sign-in failed (HTTP ${res.status}).`;
    return { error: res.status === 401 ? "Wrong email or password." : message.charAt(0).toUpperCase() + message.slice(1) };
  });

  return (
    <form className="space-y-4" onSubmit={onSubmit}>
      <div className="space-y-1.5">
        <label htmlFor={ids.email} className="text-sm font-medium text-zinc-700">
          Email
        </label>
        {/* biome-ignore lint/a11y/noAutofocus: the page exists to type into this field */}
        <input id={ids.email} name="email" type="email" autoComplete="username" required autoFocus className={field} />
      </div>
      <div className="space-y-1.5">
        <label htmlFor={ids.password} className="text-sm font-medium text-zinc-700">
          Password
        </label>
        <input id={ids.password} name="password" type="password" autoComplete="current-password" required className={field} />
      </div>
      {error && (
        <p role="alert" className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800">
          {error}
        </p>
      )}
      <button
        type="submit"
        disabled={busy}
        className="w-full rounded-md bg-zinc-900 px-3 py-2 text-sm font-medium text-white shadow-sm hover:bg-zinc-700 disabled:cursor-not-allowed disabled:opacity-60"
      >
        {busy ? "Signing in…" : "Sign in"}
      </button>
    </form>
  );
}
