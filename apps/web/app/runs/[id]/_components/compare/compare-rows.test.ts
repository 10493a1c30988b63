import { describe, expect, it } from "vitest";
import { barScale, countKinds, describeRow, formatRatio, formatSignedMs } from "./compare-rows";

const stats = (totalMs: number, failed = 0, count = 1) => ({ count, ended: count, totalMs, maxMs: totalMs, failed });

describe("comparison rows", () => {
  it("labels failures before anything else, then new and missing names", () => {
    expect(describeRow({ name: "a", run: stats(10, 1), baseline: stats(500) }).kind).toBe("failed");
    expect(describeRow({ name: "a", run: stats(10), baseline: null })).toMatchObject({ kind: "new", deltaMs: null, deltaRatio: null });
    expect(describeRow({ name: "a", run: null, baseline: stats(10) })).toMatchObject({ kind: "missing", deltaMs: null });
  });

  it("calls a change slower or faster only past the noise threshold", () => {
    expect(describeRow({ name: "a", run: stats(400), baseline: stats(100) })).toMatchObject({ kind: "slower", deltaMs: 300, deltaRatio: 3 });
    expect(describeRow({ name: "a", run: stats(20), baseline: stats(50) })).toMatchObject({ kind: "faster", deltaMs: -30, deltaRatio: -0.6 });
    // 3 ms: under SAME_MS. 4%: under SAME_RATIO.
    expect(describeRow({ name: "a", run: stats(13), baseline: stats(10) }).kind).toBe("same");
    expect(describeRow({ name: "a", run: stats(10_400), baseline: stats(10_000) }).kind).toBe("same");
    // From nothing to something has no ratio but is still slower.
    expect(describeRow({ name: "a", run: stats(40), baseline: stats(0) })).toMatchObject({ kind: "slower", deltaRatio: null });
  });

  it("writes signed durations and ratios", () => {
    expect(formatSignedMs(300)).toBe("+300 ms");
    expect(formatSignedMs(-1200)).toBe("−1.20 s");
    expect(formatSignedMs(0)).toBe("±0 ms");
    expect(formatRatio(3)).toBe("+300%");
    expect(formatRatio(-0.6)).toBe("−60%");
    expect(formatRatio(0.001)).toBe("±0%");
    expect(formatRatio(11.5)).toBe("12.5× slower");
    expect(formatRatio(250)).toBe("251× slower");
  });

  it("scales every bar to the longest total of either side, and counts kinds", () => {
    const rows = [
      { name: "a", run: stats(400), baseline: stats(100) },
      { name: "b", run: null, baseline: stats(900) },
      { name: "c", run: stats(5, 1), baseline: null },
    ];
    expect(barScale(rows)).toBe(900);
    expect(barScale([])).toBe(1);
    expect(countKinds(rows.map(describeRow))).toEqual({ failed: 1, new: 0, missing: 1, slower: 1, faster: 0, same: 0 });
  });
});
