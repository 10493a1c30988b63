import { describe, expect, it } from "vitest";
import { LIMITS, loginBlocked, noteLoginFailure, noteLoginSuccess } from "./throttle";

describe("sign-in throttle", () => {
  it("blocks an email after its failures, whatever the address, until the window moves on", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < LIMITS.email; i++) {
      expect(loginBlocked("Eve@x.io", `10.0.0.${i}`, t0)).toBeNull();
      noteLoginFailure("Eve@x.io", `10.0.0.${i}`, t0);
    }
    expect(loginBlocked("eve@x.io", "10.9.9.9", t0 + 1000)).toEqual({ retryAfterS: 899, what: "this email" });
    expect(loginBlocked("other@x.io", "10.9.9.9", t0 + 1000)).toBeNull();
    expect(loginBlocked("eve@x.io", "10.9.9.9", t0 + 15 * 60_000 + 1)).toBeNull();
  });

  it("blocks an address spraying many emails; success clears the email only", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < LIMITS.address; i++) noteLoginFailure(`u${i}@x.io`, "10.1.1.1", t0);
    expect(loginBlocked("new@x.io", "10.1.1.1", t0)?.what).toBe("this address");
    noteLoginFailure("ok@x.io", "10.2.2.2", t0);
    noteLoginSuccess("OK@x.io");
    expect(loginBlocked("ok@x.io", "10.2.2.2", t0)).toBeNull();
  });
});
