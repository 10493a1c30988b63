import { describe, expect, it } from "vitest";
import {
  cutString,
  ENTRY_PAGE,
  formatBytes,
  hasNestedContainer,
  inlinePreview,
  kindOf,
  moreLabel,
  nextShown,
  primitiveText,
  sizeLabel,
  STRING_PREVIEW_CHARS,
  STRING_PREVIEW_LINES,
  startsOpen,
  truncatedMarker,
  unserializableReason,
} from "./json-shape";

describe("json viewer decisions", () => {
  it("tells kinds apart, arrays from objects and null from objects", () => {
    expect([null, undefined, [], {}, "", 0, 1n, false].map(kindOf)).toEqual(["null", "null", "array", "object", "string", "number", "number", "boolean"]);
  });

  it("offers expand / collapse all only where there is something nested", () => {
    expect(hasNestedContainer({ a: 1, b: "x" })).toBe(false);
    expect(hasNestedContainer([1, 2, 3])).toBe(false);
    expect(hasNestedContainer("text")).toBe(false);
    expect(hasNestedContainer({ a: 1, b: [] })).toBe(true);
    expect(hasNestedContainer([1, { x: 1 }])).toBe(true);
  });

  it("previews small containers of primitives on one line, and nothing else", () => {
    expect(inlinePreview({ attempt: 1, ok: true, who: "ada" })).toBe('{"attempt": 1, "ok": true, "who": "ada"}');
    expect(inlinePreview([1, 2, null])).toBe("[1, 2, null]");
    expect(inlinePreview({ nested: {} })).toBeNull();
    expect(inlinePreview({})).toBeNull();
    expect(inlinePreview({ text: "y".repeat(100) })).toBeNull();
    expect(inlinePreview(Array.from({ length: 100 }, (_, i) => i))).toBeNull();
    expect(inlinePreview("not a container")).toBeNull();
  });

  it("labels container sizes in the singular and plural, with thousands separators", () => {
    expect(sizeLabel("object", 1)).toBe("{1 key}");
    expect(sizeLabel("object", 12)).toBe("{12 keys}");
    expect(sizeLabel("array", 0)).toBe("[0 items]");
    expect(sizeLabel("array", 34_000)).toBe("[34,000 items]");
  });

  it("opens the root always, shallow small containers, and nothing deep or big", () => {
    expect(startsOpen(0, 100_000)).toBe(true);
    expect(startsOpen(1, 25)).toBe(true);
    expect(startsOpen(1, 26)).toBe(false);
    expect(startsOpen(2, 1)).toBe(false);
  });

  it("pages big containers: a page at first, a page per click, the rest named", () => {
    expect(nextShown(340, 0)).toBe(ENTRY_PAGE);
    expect(nextShown(340, 300)).toBe(340);
    expect(nextShown(40, 0)).toBe(40);
    expect(moreLabel(40, 40)).toBeNull();
    expect(moreLabel(340, 100)).toBe("Show 100 more (240 hidden)");
    expect(moreLabel(340, 300)).toBe("Show 40 more");
    expect(moreLabel(12_345, 100)).toBe("Show 100 more (12,245 hidden)");
  });

  it("cuts long strings to a head and counts what it hid", () => {
    const long = "x".repeat(5000);
    expect(cutString(long)).toEqual({ head: "x".repeat(STRING_PREVIEW_CHARS), hidden: 5000 - STRING_PREVIEW_CHARS });
    // Within 10% of the limit: not worth a button.
    expect(cutString("y".repeat(STRING_PREVIEW_CHARS + 20)).hidden).toBe(0);
    expect(cutString("short")).toEqual({ head: "short", hidden: 0 });
  });

  it("cuts many short lines after a dozen", () => {
    const text = Array.from({ length: 40 }, (_, i) => `line ${i}`).join("\n");
    const cut = cutString(text);
    expect(cut.head.split("\n")).toHaveLength(STRING_PREVIEW_LINES);
    expect(cut.head + text.slice(cut.head.length)).toBe(text);
    expect(cut.hidden).toBe(text.length - cut.head.length);
  });

  it("never splits a surrogate pair", () => {
    const text = `${"a".repeat(STRING_PREVIEW_CHARS - 1)}😀${"b".repeat(1000)}`;
    const { head } = cutString(text);
    expect(head).toBe("a".repeat(STRING_PREVIEW_CHARS - 1));
    expect(head.isWellFormed()).toBe(true);
  });

  it("recognises the SDK's truncation marker and nothing that merely looks like it", () => {
    expect(truncatedMarker({ $truncated: true, originalBytes: 1_234_567, preview: '{"a":' })).toEqual({ originalBytes: 1_234_567, preview: '{"a":' });
    expect(truncatedMarker({ $truncated: true, originalBytes: 10 })).toEqual({ originalBytes: 10, preview: "" });
    expect(truncatedMarker({ $truncated: "yes", originalBytes: 10, preview: "" })).toBeNull();
    expect(truncatedMarker({ $truncated: true })).toBeNull();
    expect(truncatedMarker([true])).toBeNull();
    expect(truncatedMarker("$truncated")).toBeNull();
    expect(unserializableReason({ $unserializable: "Converting circular structure to JSON" })).toBe("Converting circular structure to JSON");
    expect(unserializableReason({ $unserializable: "x", other: 1 })).toBeNull();
  });

  it("formats byte counts in decimal units without printing 1000 of one", () => {
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(4_200)).toBe("4.2 kB");
    expect(formatBytes(262_144)).toBe("262 kB");
    expect(formatBytes(1_234_567)).toBe("1.2 MB");
    expect(formatBytes(999_999)).toBe("1.0 MB");
  });

  it("writes primitives as JSON text, escapes included", () => {
    expect(primitiveText('say "hi"\n')).toBe('"say \\"hi\\"\\n"');
    expect(primitiveText(null)).toBe("null");
    expect(primitiveText(12n)).toBe("12");
    expect(primitiveText(false)).toBe("false");
  });
});
