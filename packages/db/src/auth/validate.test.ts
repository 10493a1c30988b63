import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "./passwords.js";
import { checkPassword, cleanEmail, cleanName, InvalidInputError } from "./validate.js";

const reason = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInputError) return err.message;
    throw err;
  }
  return "ok";
};

describe("input rules", () => {
  it("names the field and says why", () => {
    expect(cleanEmail("  Ada@Example.com ")).toBe("Ada@Example.com");
    expect(reason(() => cleanEmail(""))).toBe("email: required");
    expect(reason(() => cleanEmail("ada"))).toBe('email: "ada" is not an email address');
    expect(reason(() => cleanEmail(`${"a".repeat(250)}@b.co`))).toBe("email: must be at most 254 characters");
    expect(reason(() => checkPassword("short"))).toBe("password: must be at least 10 characters");
    expect(reason(() => checkPassword("x".repeat(2000)))).toBe("password: must be at most 1024 characters");
    expect(reason(() => checkPassword(undefined))).toBe("password: required");
    expect(cleanName("  Payments  ")).toBe("Payments");
    expect(reason(() => cleanName("   "))).toBe("name: required");
    expect(reason(() => cleanName("a\u0000b"))).toBe("name: must not contain control characters");
    expect(reason(() => cleanName("n".repeat(101), "project"))).toBe("project: must be at most 100 characters");
  });

  it("refuses what cannot be stored or looked up as typed: NUL and other control characters, lone surrogates", () => {
    for (const email of ["a\u0000@b.co", "a@b.co\u0000x", "a\u0007@b.co", "a\u007f@b.co", "a\u0085@b.co"]) {
      expect(reason(() => cleanEmail(email))).toBe("email: must not contain control characters");
    }
    expect(reason(() => cleanEmail("a\ud800@b.co", "--email"))).toBe("--email: must not contain a lone UTF-16 surrogate");
    expect(reason(() => cleanEmail("a@b.co\udc00"))).toBe("email: must not contain a lone UTF-16 surrogate");
    expect(cleanEmail("\u{1F600}@b.co")).toBe("\u{1F600}@b.co"); // a surrogate pair is a character like any other
    expect(reason(() => checkPassword("long enough\u0000"))).toBe("password: must not contain a NUL character");
    expect(reason(() => checkPassword("long enough\ud800", "newPassword"))).toBe("newPassword: must not contain a lone UTF-16 surrogate");
    expect(checkPassword("long enough \u{1F511}\t")).toBe("long enough \u{1F511}\t");
    expect(reason(() => cleanName("a\ud800"))).toBe("name: must not contain a lone UTF-16 surrogate");
    expect(reason(() => cleanName("a\u009bb"))).toBe("name: must not contain control characters");
    expect(cleanName("Zahlungen \u{1F4B6}")).toBe("Zahlungen \u{1F4B6}");
  });

  it("refuses a NUL in a new password: scrypt would take it for the same password without the NUL", async () => {
    const stored = await hashPassword("long enough");
    // Why the rule exists (HMAC pads its key with zeros); if this ever fails, the rule could go.
    expect(await verifyPassword("long enough\u0000", stored)).toBe(true);
    expect(reason(() => checkPassword("long enough\u0000\u0000"))).toBe("password: must not contain a NUL character");
  });
});
