import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, verifyPassword } from "./passwords.js";

describe("password hashes", () => {
  it("verifies the right password only, with a fresh salt each time", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword("correct horse battery", a)).toBe(true);
    expect(await verifyPassword("correct horse batterY", a)).toBe(false);
    expect(await verifyPassword("", a)).toBe(false);
    expect(needsRehash(a)).toBe(false);
  });

  it("answers false for an unknown user (decoy work) and for malformed or hostile hashes", async () => {
    expect(await verifyPassword("anything at all", null)).toBe(false);
    for (const bad of ["", "plain", "scrypt$1$8$1$aaaa$bbbb", "scrypt$33554432$8$1$c2FsdHNhbHRzYWx0$a2V5a2V5a2V5a2V5a2V5a2V5", "bcrypt$x"]) {
      expect(await verifyPassword("anything at all", bad)).toBe(false);
    }
  });

  it("takes parameters from the stored hash (older, cheaper hashes still verify and ask for a rehash)", async () => {
    const { scryptSync, randomBytes } = await import("node:crypto");
    const salt = randomBytes(16);
    const key = scryptSync("old password 1", salt, 32, { N: 1024, r: 8, p: 1 });
    const old = `scrypt$1024$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
    expect(await verifyPassword("old password 1", old)).toBe(true);
    expect(needsRehash(old)).toBe(true);
  });
});
