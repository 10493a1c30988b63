import { describe, expect, it } from "vitest";
import { loginHref, pathWithQuery, safeNextPath } from "./next-path";

describe("?next= after login", () => {
  it("keeps paths of this site and drops everything else", () => {
    expect(safeNextPath("/runs?status=failed#x")).toBe("/runs?status=failed#x");
    expect(safeNextPath("/runs/abc")).toBe("/runs/abc");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "\\\\evil", "javascript:alert(1)", "/%0d%0aSet-Cookie", "runs", "", null, 42, "/login?next=/x", "/\u0000"]) {
      const out = safeNextPath(bad);
      expect(out === "/" || out === "/%0d%0aSet-Cookie", String(bad)).toBe(true);
    }
    expect(safeNextPath("/a/../../b")).toBe("/b");
  });

  it("builds the login link and a page's own path", () => {
    expect(loginHref("/runs?status=failed")).toBe("/login?next=%2Fruns%3Fstatus%3Dfailed");
    expect(loginHref("/")).toBe("/login");
    expect(loginHref("https://evil.example")).toBe("/login");
    expect(pathWithQuery("/runs", { status: "failed", tag: ["a", "b"], none: undefined })).toBe("/runs?status=failed&tag=a&tag=b");
  });
});
