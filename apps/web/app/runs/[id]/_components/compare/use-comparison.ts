"use client";

import type { RunComparison } from "@runtrail/db";
import { useEffect, useState } from "react";

export type Comparison = { state: "loading" } | { state: "error"; message: string; retry: () => void } | { state: "ready"; data: RunComparison };

/**
 * The run against its last success, from `/runs/:id/compare`, fetched when the Compare
 * view mounts and again when `revision` changes (the run's status: a live run that
 * ends is compared whole).
 */
export function useComparison(runId: string, revision: string): Comparison {
  const [result, setResult] = useState<{ key: string; value: Comparison } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const key = `${runId}|${revision}|${attempt}`;
  useEffect(() => {
    let current = true;
    const retry = () => setAttempt((a) => a + 1);
    fetch(`/runs/${encodeURIComponent(runId)}/compare`)
      .then(async (res) => {
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
          throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
        }
        return (await res.json()) as RunComparison;
      })
      .then(
        (data) => current && setResult({ key, value: { state: "ready", data } }),
        (err: unknown) => current && setResult({ key, value: { state: "error", message: err instanceof Error ? err.message : String(err), retry } }),
      );
    return () => {
      current = false;
    };
  }, [runId, key]);
  // While a newer comparison loads, the previous one stays on screen.
  if (!result) return { state: "loading" };
  return result.value;
}
