import { describe, expect, it } from "vitest";
import { IdSequence, uuidv7 } from "./ids.js";

describe("ids", () => {
  it("makes RFC 9562 UUIDv7s that sort by time", () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    for (const id of ids) expect(id).toMatch(re);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(uuidv7(0x0123456789ab).slice(0, 13)).toBe("01234567-89ab");
  });

  it("makes unique `<prefix>.<counter>` ids per sequence and across sequences", () => {
    const a = new IdSequence();
    const b = new IdSequence();
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      ids.add(a.next());
      ids.add(b.next());
    }
    expect(ids.size).toBe(10_000);
    const c = new IdSequence();
    for (let i = 0; i < 50_000; i++) {
      const id = c.next();
      expect(id.slice(21)).toBe(i.toString(36)); // exactly the counter in base 36
    }
    expect(c.nextNumber()).toBe(50_000);
    expect([c.idOf(5), c.idOf(1296 * 40 + 7), c.idOf(5)].map((id) => id.slice(21))).toEqual(["5", (1296 * 40 + 7).toString(36), "5"]);
    for (const id of [...ids].slice(0, 50)) expect(id).toMatch(/^[0-9a-f]{20}\.[0-9a-z]+$/);
  });
});
