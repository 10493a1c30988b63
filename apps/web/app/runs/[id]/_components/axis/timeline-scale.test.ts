import { describe, expect, it } from "vitest";
import { formatOffset, place, tickLabel, ticksBetween, tickStep } from "./timeline-scale";

describe("tickStep", () => {
  it("picks the nearest 1-2-5 step below a second, down to a microsecond", () => {
    expect(tickStep(400)).toBe(50);
    expect(tickStep(1220, 5)).toBe(200);
    expect(tickStep(9_000)).toBe(2000);
    expect(tickStep(3, 6)).toBe(0.5);
    expect(tickStep(0.9, 6)).toBe(0.2);
    expect(tickStep(0.0001, 6)).toBe(0.001);
    expect(tickStep(0.06, 6)).toBe(0.01);
  });

  it("picks clock steps from a second up, whole days beyond", () => {
    expect(tickStep(50 * 60_000)).toBe(600_000);
    expect(tickStep(80_000, 6)).toBe(15_000);
    expect(tickStep(10 * 3_600_000, 6)).toBe(7_200_000);
    expect(tickStep(30 * 86_400_000, 6)).toBe(5 * 86_400_000);
  });

  it("gives about `target` ticks: never under half, never over 1.6 times", () => {
    for (const span of [0.03, 0.7, 13, 999, 4321, 61_000, 3_600_000 * 7]) {
      for (const target of [3, 6, 12]) {
        const count = ticksBetween(0, span, tickStep(span, target)).length - 1;
        expect(count).toBeGreaterThanOrEqual(Math.floor(target / 2));
        expect(count).toBeLessThanOrEqual(Math.ceil(target * 1.6));
      }
    }
  });
});

describe("ticksBetween", () => {
  it("lists the multiples of the step inside a window that need not start at 0", () => {
    expect(ticksBetween(0, 400, 100)).toEqual([0, 100, 200, 300, 400]);
    expect(ticksBetween(130, 420, 100)).toEqual([200, 300, 400]);
    expect(ticksBetween(1.05, 1.5, 0.2)).toEqual([1.2, 1.4]);
  });
});

describe("tickLabel", () => {
  it("labels ticks in the unit of the step", () => {
    expect(tickLabel(0, 100)).toBe("0");
    expect(tickLabel(200, 100)).toBe("200ms");
    expect(tickLabel(1500, 500)).toBe("1.5s");
    expect(tickLabel(90_000, 30_000)).toBe("1m 30s");
    expect(tickLabel(600_000, 300_000)).toBe("10m");
    expect(tickLabel(60_000, 10_000)).toBe("1m");
    expect(tickLabel(2 * 3_600_000 + 15 * 60_000, 15 * 60_000)).toBe("2h 15m");
    expect(tickLabel(7_200_000, 3_600_000)).toBe("2h");
  });

  it("keeps enough digits to tell sub-millisecond ticks apart, far from the start too", () => {
    expect(tickLabel(0.25, 0.05)).toBe("0.25ms");
    expect(tickLabel(480.2, 0.2)).toBe("480.2ms");
    expect(tickLabel(12_345.6, 0.2)).toBe("12.3456s");
    expect(tickLabel(3_600_000 + 2_500, 500)).toBe("1h 0m 2.5s");
    expect(tickLabel(61_000.004, 0.002)).toBe("1m 1.000004s");
  });

  it("formats window edges with a precision that follows the window", () => {
    expect(formatOffset(1234.5678, 10)).toBe("1.2346s");
    expect(formatOffset(1234.5678, 60_000)).toBe("1.2s");
    expect(formatOffset(124, 64_190)).toBe("124ms");
    expect(formatOffset(0, 500)).toBe("0");
  });
});

describe("place", () => {
  it("places spans inside the window as percentages", () => {
    expect(place(1100, 1300, 1000, 400)).toEqual({ left: 25, width: 50, cutStart: false, cutEnd: false });
  });

  it("clips spans at the window's edges and says which edge was cut", () => {
    expect(place(900, 1100, 1000, 400)).toEqual({ left: 0, width: 25, cutStart: true, cutEnd: false });
    expect(place(1300, 2000, 1000, 400)).toEqual({ left: 75, width: 25, cutStart: false, cutEnd: true });
    expect(place(0, 5000, 1000, 400)).toEqual({ left: 0, width: 100, cutStart: true, cutEnd: true });
  });

  it("drops spans wholly outside the window, keeps instants on its edge", () => {
    expect(place(900, 999, 1000, 400)).toBeNull();
    expect(place(1401, 1500, 1000, 400)).toBeNull();
    expect(place(1400, 1400, 1000, 400)).toEqual({ left: 100, width: 0, cutStart: false, cutEnd: false });
    expect(place(900, 1000, 1000, 400)).toEqual({ left: 0, width: 0, cutStart: true, cutEnd: false });
  });
});
