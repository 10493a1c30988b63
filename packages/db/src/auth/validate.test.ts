import { describe, expect, it } from "vitest";
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
});
