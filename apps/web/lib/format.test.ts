import { describe, expect, it } from "vitest";
import { formatDateTime } from "./format";

describe("formatDateTime", () => {
  it("writes a UTC date and time to the second, the same for every call", () => {
    expect(formatDateTime("2031-01-01T00:01:39.999Z")).toBe("01 Jan 2031, 00:01:39 UTC");
    expect(formatDateTime("2029-07-15T23:05:00.000+02:00")).toBe("15 Jul 2029, 21:05:00 UTC");
  });
});
