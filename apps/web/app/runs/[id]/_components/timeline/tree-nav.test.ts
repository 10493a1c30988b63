import type { TaskSummaryView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { flattenTasks } from "../tasks/testing/whole-list";
import { treeMove } from "./tree-nav";

const task = (id: string, parentTaskId: string | null = null) => ({ id, parentTaskId, name: id, status: "completed" }) as TaskSummaryView;
const tasks = [task("a"), task("a1", "a"), task("a1x", "a1"), task("a2", "a"), task("b")];

describe("treeMove", () => {
  const rows = flattenTasks(tasks);
  const none = new Set<string>();
  const at = (id: string) => rows.findIndex((r) => r.task.id === id);

  it("→ expands a collapsed node, then steps into its first child; does nothing on a leaf", () => {
    expect(treeMove(rows, at("a"), new Set(["a"]), "right")).toEqual({ kind: "toggle", id: "a" });
    expect(treeMove(rows, at("a"), none, "right")).toEqual({ kind: "select", index: at("a1") });
    expect(treeMove(rows, at("a2"), none, "right")).toEqual({ kind: "none" });
  });

  it("← collapses an expanded node, else goes to the parent; does nothing at a root leaf", () => {
    expect(treeMove(rows, at("a1"), none, "left")).toEqual({ kind: "toggle", id: "a1" });
    expect(treeMove(rows, at("a1x"), none, "left")).toEqual({ kind: "select", index: at("a1") });
    expect(treeMove(rows, at("a2"), none, "left")).toEqual({ kind: "select", index: at("a") });
    expect(treeMove(rows, at("a1"), new Set(["a1"]), "left")).toEqual({ kind: "select", index: at("a") });
    expect(treeMove(rows, at("b"), none, "left")).toEqual({ kind: "none" });
    expect(treeMove(rows, -1, none, "left")).toEqual({ kind: "none" });
  });
});
