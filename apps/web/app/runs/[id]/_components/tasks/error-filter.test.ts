import type { TaskStatus } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { ancestorsOf, failureOrder, stepFailure } from "./error-filter";
import { summaryTask } from "./testing/summary-task";
import { errorsOnly, flattenTasks } from "./testing/whole-list";

const task = (id: string, parentTaskId: string | null, status: TaskStatus = "completed", end: number | null = null) =>
  summaryTask(id, { parentTaskId, status, endedAt: end === null ? null : new Date(Date.UTC(2030, 0, 1) + end).toISOString() });

// root ─┬─ gather ─┬─ search-a ── fetch-a1 (failed at 30)
//       │          └─ search-b ── fetch-b1
//       ├─ draft (failed at 90)
//       └─ write (cancelled)
// other ── other-child
const tasks = [
  task("root", null, "failed", 100),
  task("gather", "root", "failed", 50),
  task("search-a", "gather", "failed", 40),
  task("fetch-a1", "search-a", "failed", 30),
  task("search-b", "gather"),
  task("fetch-b1", "search-b"),
  task("draft", "root", "failed", 90),
  task("write", "root", "cancelled"),
  task("other", null),
  task("other-child", "other"),
];
const byId = new Map(tasks.map((t) => [t.id, t]));

describe("errorsOnly", () => {
  it("keeps failed and cancelled tasks with their ancestors, in order", () => {
    const kept = errorsOnly(tasks, byId).map((t) => t.id);
    expect(kept).toEqual(["root", "gather", "search-a", "fetch-a1", "draft", "write"]);
  });

  it("keeps a failure's ancestors even when they completed", () => {
    const mixed = [task("p", null), task("c", "p", "failed", 1), task("q", null)];
    const kept = errorsOnly(mixed, new Map(mixed.map((t) => [t.id, t])));
    expect(flattenTasks(kept).map((r) => `${"-".repeat(r.depth)}${r.task.id}`)).toEqual(["p", "-c"]);
  });

  it("keeps the selection and its ancestors too", () => {
    expect(errorsOnly(tasks, byId, "fetch-b1").map((t) => t.id)).toContain("search-b");
    expect(errorsOnly(tasks, byId, "other-child").map((t) => t.id)).toEqual(expect.arrayContaining(["other", "other-child"]));
  });

  it("is empty for a run without problems", () => {
    const clean = [task("a", null), task("b", "a")];
    expect(errorsOnly(clean, new Map(clean.map((t) => [t.id, t])))).toEqual([]);
  });
});

describe("ancestorsOf", () => {
  it("walks up to the root, nearest first, and survives cycles", () => {
    expect(ancestorsOf("fetch-a1", byId)).toEqual(["search-a", "gather", "root"]);
    expect(ancestorsOf("root", byId)).toEqual([]);
    const cyc = [task("x", "y"), task("y", "x")];
    expect(ancestorsOf("x", new Map(cyc.map((t) => [t.id, t])))).toEqual(["y"]);
  });
});

describe("failureOrder and stepFailure", () => {
  it("orders failures by when they happened: the first is the deepest cause here", () => {
    expect(failureOrder(tasks).map((t) => t.id)).toEqual(["fetch-a1", "search-a", "gather", "draft", "root"]);
  });

  it("steps forwards and backwards, wrapping, from anywhere", () => {
    const f = failureOrder(tasks);
    expect(stepFailure(f, null, 1)?.id).toBe("fetch-a1");
    expect(stepFailure(f, null, -1)?.id).toBe("root");
    expect(stepFailure(f, "gather", 1)?.id).toBe("draft");
    expect(stepFailure(f, "fetch-a1", -1)?.id).toBe("root");
    expect(stepFailure(f, "other", 1)?.id).toBe("fetch-a1");
    expect(stepFailure([], "x", 1)).toBeNull();
  });
});

// The failure banner and "First failure" go to the first in failureOrder (TaskIndex.failures()[0]).
const banner = (tasks: Parameters<typeof failureOrder>[0]) => failureOrder(tasks)[0] ?? null;
const ended = (id: string, status: TaskStatus, endedAt: string | null, parentTaskId: string | null = null) =>
  summaryTask(id, { parentTaskId, status, startedAt: "2030-01-01T00:00:00.000Z", endedAt });

describe("the failure the banner names", () => {
  it("is the child that failed before its group, not the group listed above it", () => {
    const tasks = [
      ended("ok", "completed", "2030-01-01T00:00:01.000Z"),
      ended("group", "failed", "2030-01-01T00:00:05.000Z"),
      ended("child-ok", "completed", "2030-01-01T00:00:02.000Z", "group"),
      ended("child", "failed", "2030-01-01T00:00:04.000Z", "group"),
    ];
    expect(banner(tasks)?.id).toBe("child");
  });

  it("passes over a group for its failed child even when both ended in the same millisecond", () => {
    const at = "2030-01-01T00:00:04.000Z";
    const tasks = [ended("group", "failed", at), ended("child", "failed", at, "group"), ended("later", "failed", "2030-01-01T00:00:09.000Z")];
    expect(banner(tasks)?.id).toBe("child");
  });

  it("breaks ties by timeline order, puts failures without an end last, and is null without failures", () => {
    const at = "2030-01-01T00:00:03.000Z";
    expect(banner([ended("a", "failed", null), ended("b", "failed", at), ended("c", "failed", at)])?.id).toBe("b");
    expect(banner([ended("a", "failed", null), ended("b", "failed", null)])?.id).toBe("a");
    expect(banner([ended("a", "completed", at)])).toBeNull();
  });
});
