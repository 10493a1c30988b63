import type { TaskStatus } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { binActivity, MINIMAP_LAYERS } from "./minimap-bins";
import { summaryTask } from "../tasks/testing/summary-task";
import { taskTimes } from "../tasks/testing/whole-list";

const T0 = Date.UTC(2030, 0, 1);
const at = (ms: number) => new Date(T0 + ms).toISOString();

const task = (id: string, status: TaskStatus, start: number | null, end: number | null) =>
  summaryTask(id, { status, startedAt: start === null ? null : at(start), endedAt: end === null ? null : at(end) });

const layer = (bins: ReturnType<typeof binActivity>, s: TaskStatus) => [...(bins.layers[MINIMAP_LAYERS.indexOf(s)] ?? [])];

describe("binActivity", () => {
  it("gives the average number of tasks running in each bin, per status", () => {
    const tasks = [task("a", "completed", 0, 100), task("b", "completed", 20, 45), task("c", "failed", 50, 72)];
    const bins = binActivity(tasks, taskTimes(tasks), T0, 100, 10, 0);
    expect(layer(bins, "completed")).toEqual([1, 1, 2, 2, 1.5, 1, 1, 1, 1, 1]);
    expect(layer(bins, "failed").map((v) => +v.toFixed(6))).toEqual([0, 0, 0, 0, 0, 1, 1, 0.2, 0, 0]);
    expect(bins.peak).toBe(2);
    // The failure is marked where it ended.
    expect([...bins.failures]).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  });

  it("counts tasks back to back in one bin as one running task, not two", () => {
    const tasks = [task("a", "completed", 0, 15), task("b", "completed", 15, 30)];
    const bins = binActivity(tasks, taskTimes(tasks), T0, 30, 3, 0);
    expect([...bins.total]).toEqual([1, 1, 1]);
  });

  it("lets a running task reach now, and counts instants and start-less tasks a little in one bin", () => {
    const tasks = [task("r", "running", 30, null), task("i", "completed", 10, 10), task("e", "cancelled", null, 95)];
    const bins = binActivity(tasks, taskTimes(tasks), T0, 100, 10, T0 + 60);
    expect(layer(bins, "running")).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0]);
    expect(layer(bins, "completed")).toEqual([0, 0.1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(layer(bins, "cancelled")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.1]);
  });

  it("clips to the range and skips tasks outside it", () => {
    const tasks = [task("before", "completed", -50, -10), task("across", "completed", -50, 150), task("none", "completed", null, null)];
    const bins = binActivity(tasks, taskTimes(tasks), T0, 100, 4, 0);
    expect(layer(bins, "completed")).toEqual([1, 1, 1, 1]);
    expect(bins.peak).toBe(1);
  });

  it("bins 100,000 tasks", () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) => task(`t${i}`, i % 1000 === 0 ? "failed" : "completed", i, i + 5));
    const bins = binActivity(tasks, taskTimes(tasks), T0, 100_005, 500, 0);
    expect(bins.failures.reduce((a, b) => a + b, 0)).toBe(100);
    // 5 ms tasks starting every ms: five running at a time, all along.
    expect(bins.total[250]).toBeCloseTo(5, 6);
    // The sum over the bins is the tasks' total time, in bins.
    expect(bins.total.reduce((a, b) => a + b, 0)).toBeCloseTo((100_000 * 5 * 500) / 100_005, 6);
  });
});
