import type { TaskSummaryView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { flattenTasks } from "./task-tree";

const task = (id: string, parentTaskId: string | null = null): TaskSummaryView => ({
  id,
  runId: "r",
  parentTaskId,
  name: id,
  status: "completed",
  errorMessage: null,
  statusMessage: null,
  progress: null,
  usage: null,
  seq: null,
  version: 0,
  startedAt: null,
  endedAt: null,
  durationMs: null,
});

describe("flattenTasks", () => {
  const tasks = [task("a"), task("b"), task("a1", "a"), task("b1", "b"), task("a2", "a"), task("a1x", "a1"), task("orphan", "missing")];

  it("puts children under their parent, siblings in timeline order", () => {
    const rows = flattenTasks(tasks);
    expect(rows.map((r) => `${"-".repeat(r.depth)}${r.task.id}`)).toEqual(["a", "-a1", "--a1x", "-a2", "b", "-b1", "orphan"]);
    expect(rows.find((r) => r.task.id === "a")?.childCount).toBe(2);
  });

  it("hides the descendants of collapsed tasks", () => {
    expect(flattenTasks(tasks, new Set(["a"])).map((r) => r.task.id)).toEqual(["a", "b", "b1", "orphan"]);
  });

  it("never loses tasks in a parent cycle", () => {
    const rows = flattenTasks([task("x", "y"), task("y", "x"), task("z")]);
    expect(rows.map((r) => r.task.id).sort()).toEqual(["x", "y", "z"]);
  });
});
