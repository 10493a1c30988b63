import { describe, expect, it } from "vitest";
import { readRange, windowOf } from "./window";

describe("overview window", () => {
  it("reads the range from the URL, defaulting to 24 h", () => {
    expect(readRange("7d").key).toBe("7d");
    expect(readRange(["1h", "7d"]).key).toBe("1h");
    expect(readRange("1y").key).toBe("24h");
    expect(readRange(undefined).key).toBe("24h");
  });

  it("cuts whole buckets covering the range up to the bucket holding now", () => {
    const now = Date.parse("2030-01-01T10:17:30Z");
    const w = windowOf(readRange("1h"), now);
    expect(w.from.toISOString()).toBe("2030-01-01T09:15:00.000Z");
    expect(w.to.toISOString()).toBe("2030-01-01T10:20:00.000Z");
    expect((w.to.getTime() - w.from.getTime()) / w.bucketMs).toBe(13);
    const d = windowOf(readRange("30d"), now);
    expect(d.from.toISOString()).toBe("2029-12-02T00:00:00.000Z");
    expect(d.to.toISOString()).toBe("2030-01-02T00:00:00.000Z");
  });
});
