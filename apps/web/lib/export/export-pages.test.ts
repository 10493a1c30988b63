import { describe, expect, it } from "vitest";
import { EXPORT_PAGE, nextPageSize } from "./export-pages";

describe("export page sizes", () => {
  it("aims each page at the target bytes, within the bounds", () => {
    // 200 small tasks of ~250 bytes: 50 KB, so the next page may be 20 times larger, capped.
    expect(nextPageSize(200, 200 * 250)).toBe(EXPORT_PAGE.max);
    // 200 tasks of 256 KiB payloads: 50 MB, so the next page is at the floor.
    expect(nextPageSize(200, 200 * 262_144)).toBe(EXPORT_PAGE.min);
    // 500 tasks of 4 KiB: 2 MB, twice the target, so half as many.
    expect(nextPageSize(500, 500 * 4096)).toBe(256);
    expect(nextPageSize(100, 0)).toBe(EXPORT_PAGE.max);
  });
});
