import type { LogMarkerView } from "@runtrail/db";
import { describe, expect, it } from "vitest";
import { clusterMarkers } from "./log-marker-layout";
import { groupMarkers } from "./use-log-markers";

const m = (at: number, level: LogMarkerView["level"] = "info", taskId: string | null = "t"): LogMarkerView => ({ taskId, at, level, message: `at ${at}` });

describe("clusterMarkers", () => {
  it("places markers inside the window as percentages and drops the others", () => {
    const c = clusterMarkers([m(50), m(150), m(300), m(1100), m(1200)], 100, 1000);
    expect(c.map((x) => x.left)).toEqual([5, 20, 100]);
  });

  it("merges markers too close to tell apart, keeping the loudest level", () => {
    const c = clusterMarkers([m(100), m(102, "warn"), m(104), m(500, "debug"), m(501, "error")], 0, 1000, 1);
    expect(c.map((x) => [x.left, x.level, x.logs.length])).toEqual([
      [10, "warn", 3],
      [50, "error", 2],
    ]);
  });

  it("keeps thousands of logs on one row to a bounded number of markers", () => {
    const many = Array.from({ length: 10_000 }, (_, i) => m(i));
    expect(clusterMarkers(many, 0, 10_000).length).toBeLessThanOrEqual(170);
    // Zoomed in, the same logs separate again.
    expect(clusterMarkers(many, 0, 20).length).toBe(21);
  });
});

describe("groupMarkers", () => {
  it("groups by task, run-level logs under null, order kept", () => {
    const g = groupMarkers([m(1, "info", "a"), m(2, "info", null), m(3, "warn", "a")]);
    expect(g.get("a")?.map((x) => x.at)).toEqual([1, 3]);
    expect(g.get(null)?.map((x) => x.at)).toEqual([2]);
  });
});
