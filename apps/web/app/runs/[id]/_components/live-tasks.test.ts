import type { TaskSummaryView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { applyTasks, toLiveTasks } from "./live-tasks";

const task = (id: string, seq: number | null, version = 1, extra: Partial<TaskSummaryView> = {}): TaskSummaryView => ({
  id,
  runId: "r",
  parentTaskId: null,
  name: id,
  status: "running",
  errorMessage: null,
  statusMessage: null,
  progress: null,
  usage: null,
  seq,
  version,
  startedAt: null,
  endedAt: null,
  durationMs: null,
  ...extra,
});

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
