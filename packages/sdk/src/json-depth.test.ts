import { describe, expect, it } from "vitest";
import { serializeValue } from "./encode.js";
import { capJsonDepth, jsonDeeperThan } from "./json-depth.js";

/** `[[[…]]]` with `depth` arrays around `inner`. */
const arrays = (depth: number, inner = "") => `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;

/** Depth of a parsed value, the server's way (apps/web/lib/ingest/depth.ts): `{}` is 1. */
function depthOf(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe("jsonDeeperThan", () => {
  it("counts containers and ignores brackets inside strings", () => {
    expect(jsonDeeperThan(arrays(64), 64)).toBe(false);
    expect(jsonDeeperThan(arrays(65), 64)).toBe(true);
    expect(jsonDeeperThan(JSON.stringify({ s: "[".repeat(500), t: '\\"[[[[' }), 3)).toBe(false);
    expect(jsonDeeperThan(JSON.stringify({ a: "x\\", b: [[[[]]]] }), 4)).toBe(true);
    // Siblings do not add up.
    expect(jsonDeeperThan(JSON.stringify(Array.from({ length: 100 }, () => [[1]])), 3)).toBe(false);
  });
});

describe("capJsonDepth", () => {
  it("replaces only the subtrees past the limit, keeping shallower siblings and __proto__ keys", () => {
    const json = JSON.stringify({ keep: 1, deep: { a: { b: { c: [1] } }, flat: "x" } });
    expect(JSON.parse(capJsonDepth(json, 3))).toEqual({ keep: 1, deep: { a: { $truncated: true, nestedDeeperThan: 3 }, flat: "x" } });
    expect(capJsonDepth('{"__proto__":{"x":[[1]]}}', 2)).toBe('{"__proto__":{"$truncated":true,"nestedDeeperThan":2}}');
    expect(capJsonDepth("5", 1)).toBe("5");
  });

  it("leaves every value within the limit, and visible", () => {
    const capped = JSON.parse(capJsonDepth(arrays(1000, "1"), 64));
    expect(depthOf(capped)).toBe(64);
    expect(JSON.stringify(capped)).toContain('{"$truncated":true,"nestedDeeperThan":64}');
  });
});

describe("serializeValue and depth", () => {
  it("sends values of depth 64 as they are and cuts deeper ones to 64", () => {
    let ok: unknown = "leaf";
    for (let i = 0; i < 64; i++) ok = { n: ok };
    expect(serializeValue(ok, 256 * 1024)).toBe(JSON.stringify(ok));
    const deeper = { n: ok };
    const sent = JSON.parse(serializeValue(deeper, 256 * 1024) ?? "null");
    expect(depthOf(sent)).toBe(64);
    // A value too deep for JSON.stringify itself is reported as unserializable, not thrown.
    let veryDeep: unknown = 1;
    for (let i = 0; i < 100_000; i++) veryDeep = [veryDeep];
    expect(JSON.parse(serializeValue(veryDeep, 256 * 1024) ?? "null")).toMatchObject({ $unserializable: expect.any(String) });
  });
});

describe("jsonDeeperThan on escapes", () => {
  it("tells escaped quotes from closing ones", () => {
    const cases: [unknown, number][] = [
      [{ a: 'say \\"hi\\" [[[[', b: [[[]]] }, 4],
      [{ a: "ends in backslash \\", b: [[[[]]]] }, 5],
      [['"', '\\', '\\"', "[{", [[]]], 3],
      [{ "k[[[": { '"': ['\\\\"'] } }, 3],
    ];
    for (const [value, depth] of cases) {
      const json = JSON.stringify(value);
      expect([jsonDeeperThan(json, depth - 1), jsonDeeperThan(json, depth)], json).toEqual([true, false]);
    }
  });
});
