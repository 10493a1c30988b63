"use client";

import type { TaskSummaryView, TaskView } from "@runtrail/db";
import { useEffect, useState } from "react";

/** Full tasks fetched this page view, by run/task@version; the oldest are dropped past CACHE_MAX. */
const cache = new Map<string, Promise<TaskView>>();
const CACHE_MAX = 200;

function fetchTask(runId: string, task: TaskSummaryView): Promise<TaskView> {
  const key = `${runId}/${task.id}@${task.version}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = fetch(`/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(task.id)}`).then(async (res) => {
      if (!res.ok) throw new Error(`task ${task.id}: HTTP ${res.status}`);
      return ((await res.json()) as { task: TaskView }).task;
    });
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    for (const old of cache.keys()) {
      if (cache.size <= CACHE_MAX) break;
      cache.delete(old);
    }
  }
  return hit;
}

export type TaskDetail = { state: "loading"; task: TaskView | null } | { state: "ready"; task: TaskView } | { state: "error"; message: string };

/**
 * The selected task with its payloads, fetched when it is selected and again when its
 * version moves on (a live update). While a newer version loads, the older one stays.
 */
export function useTaskDetail(runId: string, task: TaskSummaryView): TaskDetail {
  const [detail, setDetail] = useState<{ id: string; version: number; result: TaskDetail } | null>(null);
  useEffect(() => {
    let current = true;
    fetchTask(runId, task).then(
      (full) => current && setDetail({ id: task.id, version: task.version, result: { state: "ready", task: full } }),
      (err: unknown) => current && setDetail({ id: task.id, version: task.version, result: { state: "error", message: String(err) } }),
    );
    return () => {
      current = false;
    };
  }, [runId, task]);
  if (!detail || detail.id !== task.id) return { state: "loading", task: null };
  if (detail.version !== task.version) return { state: "loading", task: detail.result.state === "ready" ? detail.result.task : null };
  return detail.result;
}
