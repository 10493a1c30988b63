import type { TaskSummaryView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { summaryTask } from "./summary-task";
import { applyTasks, flattenTasks, toLiveTasks } from "./whole-list";

const task = (id: string, seq: number | null, version = 1, extra: Partial<TaskSummaryView> = {}) => summaryTask(id, { status: "running", seq, version, ...extra });

const ids = (s: { ordered: readonly TaskSummaryView[] }) => s.ordered.map((t) => t.id);

describe("live tasks", () => {
  it("orders by seq, then tasks without a start by their end", () => {
    const s = toLiveTasks([
      task("late-end", null, 1, { endedAt: "2025-01-01T00:00:09Z" }),
      task("b", 5),
      task("early-end", null, 1, { endedAt: "2025-01-01T00:00:01Z" }),
      task("a", 2),
    ]);
    expect(ids(s)).toEqual(["a", "b", "early-end", "late-end"]);
  });

  it("inserts new tasks in seq order and updates known ones in place", () => {
    let s = toLiveTasks([task("a", 1), task("c", 3)]);
    s = applyTasks(s, [task("b", 2), task("a", 1, 2, { status: "completed" })]);
    expect(ids(s)).toEqual(["a", "b", "c"]);
    expect(s.byId.get("a")?.status).toBe("completed");
    expect(s.ordered[0]?.status).toBe("completed");
  });

  it("moves a task whose start arrives after its end", () => {
    let s = toLiveTasks([task("x", null, 1, { endedAt: "2025-01-01T00:00:01Z" }), task("b", 5)]);
    expect(ids(s)).toEqual(["b", "x"]);
    s = applyTasks(s, [task("x", 1, 2)]);
    expect(ids(s)).toEqual(["x", "b"]);
  });

  it("ignores copies older than the one held, and returns the same state when nothing changed", () => {
    const s = toLiveTasks([task("a", 1, 5, { status: "completed" })]);
    const same = applyTasks(s, [task("a", 1, 4, { status: "running" })]);
    expect(same).toBe(s);
    expect(same.byId.get("a")?.status).toBe("completed");
  });
});

describe("live tasks, a big run loading in chunks", () => {
  const at = (i: number) => task(`t${String(i).padStart(6, "0")}`, i + 1);

  it("merges chunks that arrive in any order with live changes, keeping the newest copy", () => {
    const all = Array.from({ length: 3000 }, (_, i) => at(i));
    // The head, a pinned task far down, then the rest in chunks, one of them twice.
    let s = toLiveTasks([...all.slice(0, 100), { ...(all[2500] as TaskSummaryView) }]);
    s = applyTasks(s, [task("t002999", 3000, 9, { status: "completed" })]); // a live change
    for (const chunk of [all.slice(100, 1000), all.slice(2000, 3000), all.slice(1000, 2000), all.slice(100, 1000)]) s = applyTasks(s, chunk);
    expect(ids(s)).toEqual(all.map((t) => t.id));
    expect(s.byId.size).toBe(3000);
    expect(s.byId.get("t002999")?.status).toBe("completed");
    expect(s.ordered[2999]?.status).toBe("completed");
  });

  it("keeps one copy of a task listed twice in one message", () => {
    const s = applyTasks(toLiveTasks([at(0)]), [at(5), task("t000005", 6, 2), at(3)]);
    expect(ids(s)).toEqual(["t000000", "t000003", "t000005"]);
    expect(s.byId.get("t000005")?.version).toBe(2);
  });
});

const treeTask = (id: string, parentTaskId: string | null = null) => summaryTask(id, { parentTaskId });

describe("flattenTasks", () => {
  const tasks = [treeTask("a"), treeTask("b"), treeTask("a1", "a"), treeTask("b1", "b"), treeTask("a2", "a"), treeTask("a1x", "a1"), treeTask("orphan", "missing")];

  it("puts children under their parent, siblings in timeline order", () => {
    const rows = flattenTasks(tasks);
    expect(rows.map((r) => `${"-".repeat(r.depth)}${r.task.id}`)).toEqual(["a", "-a1", "--a1x", "-a2", "b", "-b1", "orphan"]);
    expect(rows.find((r) => r.task.id === "a")?.childCount).toBe(2);
  });

  it("hides the descendants of collapsed tasks", () => {
    expect(flattenTasks(tasks, new Set(["a"])).map((r) => r.task.id)).toEqual(["a", "b", "b1", "orphan"]);
  });

  it("never loses tasks in a parent cycle", () => {
    const rows = flattenTasks([treeTask("x", "y"), treeTask("y", "x"), treeTask("z")]);
    expect(rows.map((r) => r.task.id).sort()).toEqual(["x", "y", "z"]);
  });
});
