import { describe, expect, it } from "vitest";
import { HOSTILE_NEXT } from "../../test/hostile-next";
import { loginHref, pathWithQuery, safeNextPath } from "./next-path";

const BASE = "http://runtrail.invalid";

/** Where a browser on BASE goes with this Location (tabs and newlines dropped, as browsers do). */
const landing = (location: string) => new URL(location.replace(/[\t\n\r]/g, ""), BASE);

describe("?next= after login", () => {
  it("keeps paths of this site and drops everything else", () => {
    expect(safeNextPath("/runs?status=failed#x")).toBe("/runs?status=failed#x");
    expect(safeNextPath("/runs/abc")).toBe("/runs/abc");
    expect(safeNextPath("/runs?q=a b")).toBe("/runs?q=a%20b");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil", "javascript:alert(1)", "runs", "", null, 42, "/login?next=/x", "/\u0000"]) {
      expect(safeNextPath(bad), String(bad)).toBe("/");
    }
    expect(safeNextPath("/a/../../b")).toBe("/b");
    expect(safeNextPath("/%0d%0aSet-Cookie")).toBe("/%0d%0aSet-Cookie");
  });

  it("checks the value after normalising: no hostile next leaves the origin, and what it returns is stable", () => {
    for (const bad of HOSTILE_NEXT) {
      const out = safeNextPath(bad);
      expect(landing(out).origin, JSON.stringify(bad)).toBe(BASE);
      expect(out, JSON.stringify(bad)).toMatch(/^\/(?![/\\])/);
      expect(safeNextPath(out), JSON.stringify(bad)).toBe(out);
    }
    // The probe's findings, exactly: each used to come back as "//evil.example".
    for (const bad of ["/..//evil.example", "/.//evil.example", "/x/..//evil.example", "/%2e%2e//evil.example"]) expect(safeNextPath(bad)).toBe("/");
  });

  it("builds the login link and a page's own path", () => {
    expect(loginHref("/runs?status=failed")).toBe("/login?next=%2Fruns%3Fstatus%3Dfailed");
    expect(loginHref("/")).toBe("/login");
    expect(loginHref("https://evil.example")).toBe("/login");
    expect(loginHref("/..//evil.example")).toBe("/login");
    expect(pathWithQuery("/runs", { status: "failed", tag: ["a", "b"], none: undefined })).toBe("/runs?status=failed&tag=a&tag=b");
  });
});
