import { describe, expect, it } from "vitest";
import { needsSanitizing, sanitize, storableText, unstorable } from "./sanitize";

describe("sanitize", () => {
  it("spots NUL and surrogate escapes in raw JSON", () => {
    expect(needsSanitizing('{"a":"\\u0000"}')).toBe(true);
    expect(needsSanitizing('{"a":"\\uD83D\\ude00"}')).toBe(true);
    expect(needsSanitizing('{"a":"\\udc00"}')).toBe(true);
    expect(needsSanitizing('{"a":"\\u00e9 plain"}')).toBe(false);
  });

  it("replaces NULs and lone surrogates with U+FFFD, keeping pairs and lengths", () => {
    const text = "a\u0000b\ud800c\udfffd\u{1F600}";
    expect(storableText(text)).toBe("a\uFFFDb\uFFFDc\uFFFDd\u{1F600}");
    expect(storableText(text)).toHaveLength(text.length);
    expect([unstorable("ok \u{1F600}"), unstorable("a\u0000"), unstorable("\ud83d")]).toEqual([
      null,
      "contains a NUL character (U+0000), which cannot be stored",
      "contains a lone UTF-16 surrogate, which cannot be stored",
    ]);
  });

  it("cleans keys and values at every level, keeping __proto__ as an own key", () => {
    const value = JSON.parse('{"__proto__":{"k\\u0000":["\\ud800",1,null,true]},"n":2}');
    const clean = sanitize(value) as Record<string, unknown>;
    expect(Object.keys(clean)).toEqual(["__proto__", "n"]);
    expect(JSON.stringify(clean)).toBe('{"__proto__":{"k\uFFFD":["\uFFFD",1,null,true]},"n":2}');
    expect(Object.getPrototypeOf(clean)).toBe(Object.prototype);
  });
});
