"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { sendJson } from "@/lib/client/dashboard-request";
import { useSubmit } from "@/lib/client/use-submit";
import { FormError, inputClass, primaryButton } from "../../_components/card";
import { CopyButton } from "./copy-button";

/** Names and creates a key, then shows the whole key once with a copy button. */
export function CreateKey({ projectId, projectName }: { projectId: string; projectName: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [made, setMade] = useState<{ key: string; name: string } | null>(null);
  const id = useId();
  const { busy, error, onSubmit } = useSubmit(async () => {
    const res = await sendJson<{ key: string; apiKey: { name: string } }>("/manage/keys", { projectId, name });
    if (!res.ok || !res.data) return { error: res.error };
    setMade({ key: res.data.key, name: res.data.apiKey.name });
    setName("");
    router.refresh();
  });

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-2" onSubmit={onSubmit}>
        <label htmlFor={id} className="flex min-w-64 flex-1 flex-col gap-1">
          <span className="text-xs font-medium text-zinc-600">New key name</span>
          <input id={id} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required placeholder="e.g. production worker" className={inputClass} />
        </label>
        <button type="submit" disabled={busy || name.trim() === ""} className={primaryButton}>
          {busy ? "Creating…" : "Create key"}
        </button>
      </form>
      <FormError message={error} />
      {made && (
        <div data-testid="new-key" className="rounded-lg border border-emerald-200 bg-emerald-50 p-4">
          <div className="flex items-start justify-between gap-3">
            <div>
              <p className="text-sm font-semibold text-emerald-900">Key “{made.name}” created for {projectName}</p>
              <p className="mt-0.5 text-sm text-emerald-800">Copy it now: it is shown only this once. Runtrail keeps only a hash of it.</p>
            </div>
            <button type="button" onClick={() => setMade(null)} className="text-sm font-medium text-emerald-800 hover:text-emerald-950">
              Done
            </button>
          </div>
          <div className="mt-3 flex items-center gap-2">
            <code data-testid="new-key-value" className="min-w-0 flex-1 overflow-x-auto rounded-md border border-emerald-200 bg-white px-3 py-2 font-mono text-[13px] whitespace-nowrap text-zinc-900 select-all">
              {made.key}
            </code>
            <CopyButton text={made.key} />
          </div>
          <p className="mt-3 text-xs text-emerald-800">
            Where your agent runs, set it as <code className="rounded bg-white/70 px-1 py-0.5 font-mono">RUNTRAIL_API_KEY</code>: the SDK reads it from there.
          </p>
        </div>
      )}
    </div>
  );
}
