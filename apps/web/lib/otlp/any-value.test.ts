import { describe, expect, it } from "vitest";
import { Notes, readAttributes } from "./any-value";

const limits = { maxDepth: 5, maxValueChars: 100 };
const kv = (key: string, value: Record<string, unknown>) => ({ key, value });

describe("readAttributes (OTLP/JSON)", () => {
  it("turns each AnyValue kind into JSON, keeping int64 exact and __proto__ as data", () => {
    const notes = new Notes();
    const out = readAttributes(
      [
        kv("s", { stringValue: "a\u0000b" }),
        kv("b", { boolValue: false }),
        kv("i", { intValue: "42" }),
        kv("big", { intValue: "9007199254740993" }),
        kv("d", { doubleValue: 1.5 }),
        kv("nan", { doubleValue: "NaN" }),
        kv("bytes", { bytesValue: "AQI=" }),
        kv("list", { arrayValue: { values: [{ intValue: 1 }, { stringValue: "x" }] } }),
        kv("map", { kvlistValue: { values: [kv("k", { boolValue: true })] } }),
        kv("__proto__", { stringValue: "data" }),
        kv("empty", {}),
      ],
      "json",
      limits,
      notes,
      "span 1",
    );
    expect(out).toEqual({
      s: "a\uFFFDb",
      b: false,
      i: 42,
      big: "9007199254740993",
      d: 1.5,
      nan: "NaN",
      bytes: "AQI=",
      list: [1, "x"],
      map: { k: true },
      ["__proto__"]: "data",
      empty: null,
    });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(notes.count).toBe(0);
  });

  it("replaces nesting past the limit and values over the size limit by markers, and notes the cuts", () => {
    let deep: Record<string, unknown> = { stringValue: "leaf" };
    for (let i = 0; i < 100_000; i++) deep = { arrayValue: { values: [deep] } };
    const notes = new Notes();
    const out = readAttributes([kv("deep", deep), kv("long", { stringValue: "z".repeat(500) })], "json", limits, notes, "span 7");
    expect(out.deep).toEqual([[[[{ $truncated: true, nestedDeeperThan: 5 }]]]]);
    expect(out.long).toEqual({ $truncated: true, originalBytes: 502, preview: `"${"z".repeat(500)}"`.slice(0, 2000) });
    expect(notes.summary()).toEqual(["span 7.long: over 100 characters, replaced by a $truncated marker"]);
  });
});
