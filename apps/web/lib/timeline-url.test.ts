import { describe, expect, it } from "vitest";
import { timelineUrl, timelineUrlAfter } from "./timeline-url";

describe("timeline URLs", () => {
  it("name the run, project, cursor and version, escaped; a resumed stream changes only the cursor", () => {
    const url = timelineUrl("run/1 ü", "WzEsInQiXQ", 42, "proj&x");
    expect(url).toBe("/runs/run%2F1%20%C3%BC/timeline?p=proj%26x&after=WzEsInQiXQ&v=42");
    const next = new URL(timelineUrlAfter(url, "WzIsInQiXQ"), "http://x");
    expect(next.pathname).toBe("/runs/run%2F1%20%C3%BC/timeline");
    expect(Object.fromEntries(next.searchParams)).toEqual({ p: "proj&x", after: "WzIsInQiXQ", v: "42" });
  });
});
