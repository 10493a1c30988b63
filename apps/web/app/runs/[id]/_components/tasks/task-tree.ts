import type { TaskSummaryView } from "@runtrail/db";

export interface TreeRow {
  task: TaskSummaryView;
  depth: number;
  childCount: number;
}

/**
 * Orders tasks as a tree: each task under its parent, siblings in timeline
 * order. A task whose parent is unknown (not arrived yet) stays at the root.
 * The whole-list version: the page keeps the tree in `TaskIndex.rows` (task-index.ts),
 * which is tested to give the same rows.
 */
export function flattenTasks(tasks: readonly TaskSummaryView[], collapsed: ReadonlySet<string> = new Set()): TreeRow[] {
  const ids = new Set(tasks.map((t) => t.id));
  const children = new Map<string | null, TaskSummaryView[]>();
  for (const t of tasks) {
    const parent = t.parentTaskId && ids.has(t.parentTaskId) && t.parentTaskId !== t.id ? t.parentTaskId : null;
    const list = children.get(parent);
    if (list) list.push(t);
    else children.set(parent, [t]);
  }
  const rows: TreeRow[] = [];
  const visited = new Set<string>();
  const stack: { task: TaskSummaryView; depth: number }[] = (children.get(null) ?? []).map((task) => ({ task, depth: 0 })).reverse();
  while (stack.length > 0) {
    const item = stack.pop();
    if (!item || visited.has(item.task.id)) continue;
    visited.add(item.task.id);
    const kids = children.get(item.task.id) ?? [];
    rows.push({ task: item.task, depth: item.depth, childCount: kids.length });
    if (collapsed.has(item.task.id)) {
      for (const k of descendants(item.task.id, children)) visited.add(k);
      continue;
    }
    for (let i = kids.length - 1; i >= 0; i--) {
      const k = kids[i];
      if (k) stack.push({ task: k, depth: item.depth + 1 });
    }
  }
  // Parent cycles (a -> b -> a) never reach the root; show them rather than lose them.
  for (const t of tasks) if (!visited.has(t.id)) rows.push({ task: t, depth: 0, childCount: 0 });
  return rows;
}

function descendants(id: string, children: Map<string | null, TaskSummaryView[]>): string[] {
  const out: string[] = [];
  const stack = [id];
  while (stack.length > 0) {
    const next = stack.pop();
    for (const c of children.get(next ?? null) ?? []) {
      out.push(c.id);
      stack.push(c.id);
    }
  }
  return out;
}
