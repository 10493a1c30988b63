import type { TaskSummaryView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { firstFailure } from "./first-failure";

const task = (id: string, status: TaskSummaryView["status"], endedAt: string | null, parentTaskId: string | null = null): TaskSummaryView => ({
  id,
  runId: "r",
  parentTaskId,
  name: id,
  status,
  errorMessage: null,
  statusMessage: null,
  progress: null,
  usage: null,
  seq: null,
  startedAt: "2030-01-01T00:00:00.000Z",
  endedAt,
  durationMs: null,
  version: 1,
});

describe("the failure the banner names", () => {
  it("is the child that failed before its group, not the group listed above it", () => {
    const tasks = [
      task("ok", "completed", "2030-01-01T00:00:01.000Z"),
      task("group", "failed", "2030-01-01T00:00:05.000Z"),
      task("child-ok", "completed", "2030-01-01T00:00:02.000Z", "group"),
      task("child", "failed", "2030-01-01T00:00:04.000Z", "group"),
    ];
    expect(firstFailure(tasks)?.id).toBe("child");
  });

  it("passes over a group for its failed child even when both ended in the same millisecond", () => {
    const at = "2030-01-01T00:00:04.000Z";
    const tasks = [task("group", "failed", at), task("child", "failed", at, "group"), task("later", "failed", "2030-01-01T00:00:09.000Z")];
    expect(firstFailure(tasks)?.id).toBe("child");
  });

  it("breaks ties by timeline order, puts failures without an end last, and is null without failures", () => {
    const at = "2030-01-01T00:00:03.000Z";
    expect(firstFailure([task("a", "failed", null), task("b", "failed", at), task("c", "failed", at)])?.id).toBe("b");
    expect(firstFailure([task("a", "failed", null), task("b", "failed", null)])?.id).toBe("a");
    expect(firstFailure([task("a", "completed", at)])).toBeNull();
  });
});
