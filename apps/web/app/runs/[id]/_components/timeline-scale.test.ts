import { describe, expect, it } from "vitest";
import { place, tickLabel, ticks, tickStep } from "./timeline-scale";

describe("timeline scale", () => {
  it("picks round steps", () => {
    expect(tickStep(400)).toBe(100);
    expect(tickStep(9_000)).toBe(2000);
    expect(tickStep(50 * 60_000)).toBe(600_000);
    expect(ticks(400)).toEqual([0, 100, 200, 300, 400]);
  });

  it("labels ticks in the unit of the step", () => {
    expect(tickLabel(200, 100)).toBe("200ms");
    expect(tickLabel(1500, 500)).toBe("1.5s");
    expect(tickLabel(90_000, 30_000)).toBe("1m 30s");
    expect(tickLabel(600_000, 300_000)).toBe("10m");
  });

  it("places spans as clamped percentages", () => {
    expect(place(1100, 1300, 1000, 400)).toEqual({ left: 25, width: 50 });
    expect(place(900, 1000, 1000, 400)).toEqual({ left: 0, width: 25 });
    expect(place(1300, 2000, 1000, 400)).toEqual({ left: 75, width: 25 });
  });
});
