import { describe, expect, it } from "vitest";
import { LIMITS, noteLoginSuccess, takeLoginAttempt } from "./throttle";

describe("sign-in throttle", () => {
  it("blocks an email after its attempts, whatever the address, until the window moves on", () => {
    const t0 = 1_000_000;
    for (let i = 0; i < LIMITS.email; i++) expect(takeLoginAttempt("Eve@x.io", `10.0.0.${i}`, t0)).toBeNull();
    expect(takeLoginAttempt("eve@x.io", "10.9.9.9", t0 + 1000)).toEqual({ retryAfterS: 899, what: "this email" });
    expect(takeLoginAttempt("other@x.io", "10.9.9.9", t0 + 1000)).toBeNull();
    expect(takeLoginAttempt("eve@x.io", "10.9.9.9", t0 + 15 * 60_000 + 1)).toBeNull();
  });

  it("counts an attempt when it starts: guesses sent at once, before any answer, are limited all the same", () => {
    const t0 = 3_000_000;
    const answers = Array.from({ length: 1000 }, (_, i) => takeLoginAttempt("burst@x.io", `10.3.${i >> 8}.${i & 255}`, t0));
    expect(answers.filter((a) => a === null)).toHaveLength(LIMITS.email);
  });

  it("blocks an address spraying many emails; success forgives the email and its own attempt only", () => {
    const t0 = 5_000_000;
    for (let i = 0; i < LIMITS.address; i++) expect(takeLoginAttempt(`u${i}@x.io`, "10.1.1.1", t0)).toBeNull();
    expect(takeLoginAttempt("new@x.io", "10.1.1.1", t0)?.what).toBe("this address");
    for (let i = 0; i < LIMITS.email - 1; i++) takeLoginAttempt("ok@x.io", "10.2.2.2", t0);
    const at = t0 + 5;
    expect(takeLoginAttempt("ok@x.io", "10.2.2.2", at)).toBeNull();
    noteLoginSuccess("OK@x.io", "10.2.2.2", at);
    expect(takeLoginAttempt("ok@x.io", "10.2.2.2", at)).toBeNull();
  });
});
