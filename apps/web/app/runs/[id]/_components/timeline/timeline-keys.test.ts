import { describe, expect, it } from "vitest";
import { actionFor, SHORTCUTS } from "./timeline-keys";

const key = (k: string, mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  actionFor({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe("actionFor", () => {
  it("moves rows with ↑/↓ and j/k, walks the tree with ←/→", () => {
    expect(key("ArrowDown")).toBe("down");
    expect(key("k")).toBe("up");
    expect(key("ArrowLeft")).toBe("collapse");
    expect(key("ArrowRight")).toBe("expand");
  });

  it("pans with Shift+←/→ and a/d, never with the plain arrows", () => {
    expect(key("ArrowLeft", { shiftKey: true })).toBe("panLeft");
    expect(key("ArrowRight", { shiftKey: true })).toBe("panRight");
    expect(key("a")).toBe("panLeft");
    expect(key("d")).toBe("panRight");
  });

  it("zooms with +, = (unshifted +), - and w/s; 0 resets", () => {
    expect(key("+", { shiftKey: true })).toBe("zoomIn");
    expect(key("=")).toBe("zoomIn");
    expect(key("-")).toBe("zoomOut");
    expect(key("s")).toBe("zoomOut");
    expect(key("0")).toBe("zoomReset");
  });

  it("tells n from Shift+N, and opens the help on ?", () => {
    expect(key("n")).toBe("nextFailure");
    expect(key("N", { shiftKey: true })).toBe("previousFailure");
    expect(key("?", { shiftKey: true })).toBe("help");
  });

  it("leaves modifier chords and unknown keys to the browser", () => {
    expect(key("+", { ctrlKey: true })).toBeNull();
    expect(key("0", { metaKey: true })).toBeNull();
    expect(key("f", { altKey: true })).toBeNull();
    expect(key("q")).toBeNull();
  });

  it("binds each key to one action only", () => {
    const keys = SHORTCUTS.flatMap((s) => s.match);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
