"use client";

import type { TaskSummaryView, TaskView } from "@runtrail/db";
import { useEffect, useState } from "react";

/** A task with its payloads, and its span attributes when it came over OTLP. */
export interface FullTask {
  task: TaskView;
  attributes: Record<string, unknown> | null;
}

/** Full tasks fetched this page view, by run/task@version; the oldest are dropped past CACHE_MAX. */
const cache = new Map<string, Promise<FullTask>>();
const CACHE_MAX = 200;

function fetchTask(runId: string, task: TaskSummaryView): Promise<FullTask> {
  const key = `${runId}/${task.id}@${task.version}`;
  let hit = cache.get(key);
  if (!hit) {
    hit = fetch(`/runs/${encodeURIComponent(runId)}/tasks/${encodeURIComponent(task.id)}`).then(async (res) => {
      if (!res.ok) throw new Error(`task ${task.id}: HTTP ${res.status}`);
      const body = (await res.json()) as { task: TaskView; attributes?: Record<string, unknown> | null };
      return { task: body.task, attributes: body.attributes ?? null };
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

export type TaskDetail =
  | { state: "loading"; task: TaskView | null; attributes: Record<string, unknown> | null }
  | { state: "ready"; task: TaskView; attributes: Record<string, unknown> | null }
  | { state: "error"; message: string };

/**
 * The selected task with its payloads, fetched when it is selected and again when its
 * version moves on (a live update). While a newer version loads, the older one stays.
 */
export function useTaskDetail(runId: string, task: TaskSummaryView): TaskDetail {
  const [detail, setDetail] = useState<{ id: string; version: number; result: TaskDetail } | null>(null);
  useEffect(() => {
    let current = true;
    fetchTask(runId, task).then(
      (full) => current && setDetail({ id: task.id, version: task.version, result: { state: "ready", ...full } }),
      (err: unknown) => current && setDetail({ id: task.id, version: task.version, result: { state: "error", message: String(err) } }),
    );
    return () => {
      current = false;
    };
  }, [runId, task]);
  if (!detail || detail.id !== task.id) return { state: "loading", task: null, attributes: null };
  if (detail.version !== task.version) {
    return detail.result.state === "ready" ? { ...detail.result, state: "loading" } : { state: "loading", task: null, attributes: null };
  }
  return detail.result;
}
