import { describe, expect, it } from "vitest";
import { checkUsage, failInfo } from "./arguments.js";

describe("failInfo", () => {
  it("takes message and stack from an Error, or from options", () => {
    const err = new Error("Connection refused");
    expect(failInfo(err)).toEqual({ message: "Connection refused", stack: err.stack, output: undefined, usage: undefined });
    expect(failInfo({ errorMessage: "boom", output: { partial: 1 }, usage: { costUsd: 1 } })).toEqual({
      message: "boom",
      stack: undefined,
      output: { partial: 1 },
      usage: { costUsd: 1 },
    });
    expect(failInfo({ error: "plain string" }).message).toBe("plain string");
    expect(failInfo(new TypeError("")).message).toBe("TypeError");
    expect(() => failInfo({})).toThrow(/needs an Error/);
    expect(() => failInfo({ errorMessage: "x", errorStack: 3 as never })).toThrow(/errorStack must be a string/);
  });
});

describe("checkUsage", () => {
  it("returns a copy of the given fields and rejects bad ones with the key in the message", () => {
    expect(checkUsage(undefined, "x")).toBeUndefined();
    const usage = { inputTokens: 10, outputTokens: 0, costUsd: 0.25 };
    const copy = checkUsage(usage, "x");
    expect(copy).toEqual(usage);
    expect(copy).not.toBe(usage);
    expect(() => checkUsage({ inputTokens: -1 }, "complete()")).toThrow(/usage.inputTokens must be a non-negative/);
    expect(() => checkUsage({ costUsd: Number.NaN }, "x")).toThrow(/usage.costUsd/);
    expect(() => checkUsage({ outputTokens: Number.POSITIVE_INFINITY }, "x")).toThrow(/usage.outputTokens/);
    expect(() => checkUsage({ tokens: 3 } as never, "x")).toThrow(/usage.tokens is not a usage field/);
    expect(() => checkUsage({ inputTokens: "5" } as never, "x")).toThrow(/usage.inputTokens/);
    expect(() => checkUsage([] as never, "x")).toThrow(/usage must be an object/);
  });
});
