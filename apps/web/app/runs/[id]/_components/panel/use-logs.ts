"use client";

import type { LogView } from "@runtrail/db";
import { useCallback, useEffect, useState } from "react";

/** Which lines: one task's, the run's own (no task), or all of the run's. */
export type LogScope = { taskId: string } | "run" | "all";

/** Lines per request. */
export const LOG_PAGE = 100;

interface Page {
  /** The cursor this page was fetched with (null: the first page). */
  cursor: string | null;
  lines: LogView[];
  next: string | null;
}

export type Logs =
  | { state: "loading" }
  | { state: "error"; message: string; retry: () => void }
  | { state: "ready"; lines: LogView[]; more: boolean; loadingMore: boolean; loadMore: () => void };

function url(runId: string, scope: LogScope, cursor: string | null): string {
  const q = new URLSearchParams({ limit: String(LOG_PAGE) });
  if (typeof scope === "object") q.set("taskId", scope.taskId);
  else if (scope === "run") q.set("scope", "run");
  if (cursor) q.set("cursor", cursor);
  return `/runs/${encodeURIComponent(runId)}/logs?${q}`;
}

async function fetchPage(runId: string, scope: LogScope, cursor: string | null): Promise<Page> {
  const res = await fetch(url(runId, scope, cursor));
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  }
  const page = (await res.json()) as { data: LogView[]; nextCursor: string | null };
  return { cursor, lines: page.data, next: page.nextCursor };
}

/**
 * A run's or a task's log lines, a page at a time, fetched when the list mounts (a task
 * is selected). `revision` is the run's log count: when it moves while the last page
 * was the end, that page is fetched again, so a live run's new lines appear.
 */
export function useLogs(runId: string, scope: LogScope, revision: number): Logs {
  const key = `${runId}|${typeof scope === "object" ? `task:${scope.taskId}` : scope}`;
  const [pages, setPages] = useState<{ key: string; list: Page[] } | null>(null);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for runId + scope; `attempt` refetches on retry
  useEffect(() => {
    let current = true;
    setError(null);
    fetchPage(runId, scope, null).then(
      (page) => current && setPages({ key, list: [page] }),
      (err: unknown) => current && setError({ key, message: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      current = false;
    };
  }, [key, attempt]);

  // New lines on a live run: refetch the tail page (only when it was the end; otherwise "more" already shows).
  const tail = pages?.key === key ? pages.list[pages.list.length - 1] : undefined;
  const refetchTail = tail !== undefined && tail.next === null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs only when the log count moves
  useEffect(() => {
    if (!refetchTail || !tail) return;
    let current = true;
    fetchPage(runId, scope, tail.cursor).then(
      (page) => current && setPages((p) => (p && p.key === key ? { key, list: [...p.list.slice(0, -1), page] } : p)),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [revision]);

  const loadMore = useCallback(() => {
    if (!tail?.next || loadingMore) return;
    setLoadingMore(true);
    fetchPage(runId, scope, tail.next)
      .then(
        (page) => setPages((p) => (p && p.key === key ? { key, list: [...p.list, page] } : p)),
        (err: unknown) => setError({ key, message: err instanceof Error ? err.message : String(err) }),
      )
      .finally(() => setLoadingMore(false));
  }, [tail, loadingMore, runId, scope, key]);

  if (error?.key === key) return { state: "error", message: error.message, retry: () => setAttempt((a) => a + 1) };
  if (pages?.key !== key) return { state: "loading" };
  return { state: "ready", lines: pages.list.flatMap((p) => p.lines), more: tail?.next != null, loadingMore, loadMore };
}
