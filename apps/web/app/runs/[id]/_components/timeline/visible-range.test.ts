import { describe, expect, it } from "vitest";
import { visibleRange } from "./visible-range";

describe("visibleRange", () => {
  it("renders the rows in view plus the overscan", () => {
    expect(visibleRange(0, 320, 32, 100_000, 10)).toEqual({ first: 0, last: 20 });
    expect(visibleRange(3200, 320, 32, 100_000, 10)).toEqual({ first: 90, last: 120 });
  });

  it("clamps at the end of the list and for short lists", () => {
    expect(visibleRange(32 * 99_990, 320, 32, 100_000, 10)).toEqual({ first: 99_980, last: 100_000 });
    expect(visibleRange(0, 600, 32, 3, 10)).toEqual({ first: 0, last: 3 });
    expect(visibleRange(5000, 600, 32, 3, 10)).toEqual({ first: 3, last: 3 });
  });
});
