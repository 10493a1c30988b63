import { describe, expect, it, vi } from "vitest";
import { processPromise, processSingleton } from "./process-singleton";

describe("processSingleton", () => {
  it("makes the value once, and every copy of the module finds it", async () => {
    const create = vi.fn(() => ({ count: 0 }));
    const first = processSingleton("test.shared", create);
    first.count++;
    // A second copy of the module, as a separate Next.js bundle would load it.
    vi.resetModules();
    const copy = await import("./process-singleton");
    expect(copy.processSingleton).not.toBe(processSingleton);
    expect(copy.processSingleton("test.shared", () => ({ count: 100 }))).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(first.count).toBe(1);
  });

  it("keeps different names apart", () => {
    expect(processSingleton("test.a", () => "a")).toBe("a");
    expect(processSingleton("test.b", () => "b")).toBe("b");
  });
});

describe("processPromise", () => {
  it("shares one promise while it is pending or resolved", async () => {
    const create = vi.fn(async () => ({ opened: true }));
    const a = processPromise("test.store", create);
    const b = processPromise("test.store", create);
    expect(a).toBe(b);
    expect(await a).toEqual({ opened: true });
    expect(processPromise("test.store", create)).toBe(a);
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("makes a new promise after one rejects", async () => {
    let attempt = 0;
    const create = async () => {
      attempt++;
      if (attempt === 1) throw new Error("store down");
      return attempt;
    };
    await expect(processPromise("test.retry", create)).rejects.toThrow("store down");
    expect(await processPromise("test.retry", create)).toBe(2);
    expect(await processPromise("test.retry", create)).toBe(2);
  });
});
