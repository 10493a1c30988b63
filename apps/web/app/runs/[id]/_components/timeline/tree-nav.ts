import type { TreeRow } from "../tasks/task-index";

/** What ← or → does to the selected row of the tree, as in a file tree. */
export type TreeMove = { kind: "toggle"; id: string } | { kind: "select"; index: number } | { kind: "none" };

/**
 * ← collapses an expanded node, else moves to its parent; → expands a collapsed node,
 * else moves to its first child. Leaves: ← goes to the parent, → does nothing.
 */
export function treeMove(rows: readonly TreeRow[], index: number, collapsed: ReadonlySet<string>, key: "left" | "right"): TreeMove {
  const row = rows[index];
  if (!row) return { kind: "none" };
  const open = row.childCount > 0 && !collapsed.has(row.task.id);
  if (key === "right") {
    if (row.childCount === 0) return { kind: "none" };
    return open ? { kind: "select", index: index + 1 } : { kind: "toggle", id: row.task.id };
  }
  if (open) return { kind: "toggle", id: row.task.id };
  for (let i = index - 1; i >= 0; i--) {
    const r = rows[i];
    if (r && r.depth < row.depth) return { kind: "select", index: i };
  }
  return { kind: "none" };
}
