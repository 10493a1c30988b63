import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunContext } from "./events.js";
import { envelope, failFields, isoNow, seqText, serializeValue, usageField, utf8Length } from "./events.js";
import { createEventIdGenerator, uuidv7 } from "./ids.js";

describe("serializeValue", () => {
  it("returns JSON for normal values and undefined for values without JSON", () => {
    expect(serializeValue({ a: [1, "x", null] }, 1000)).toBe('{"a":[1,"x",null]}');
    expect(serializeValue(undefined, 1000)).toBeUndefined();
    expect(serializeValue(() => 1, 1000)).toBeUndefined();
  });

  it("replaces values over the limit by a visible $truncated marker", () => {
    const value = { text: "é".repeat(5000) };
    const json = JSON.stringify(value);
    const marker = JSON.parse(serializeValue(value, 4096) ?? "");
    expect(marker).toEqual({ $truncated: true, originalBytes: utf8Length(json), preview: json.slice(0, 2000) });
    expect(marker.originalBytes).toBe(json.length + 5000); // each é is 2 bytes
  });

  it("keeps values exactly at the limit", () => {
    const value = "x".repeat(98); // JSON adds two quotes
    expect(serializeValue(value, 100)).toBe(JSON.stringify(value));
    expect(JSON.parse(serializeValue(`${value}y`, 100) ?? "")).toMatchObject({ $truncated: true, originalBytes: 101 });
  });

  it("never throws on unserializable values", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    expect(JSON.parse(serializeValue(circular, 1000) ?? "").$unserializable).toMatch(/circular/i);
    expect(JSON.parse(serializeValue({ n: 10n }, 1000) ?? "").$unserializable).toMatch(/BigInt/i);
    const hostile = {
      toJSON() {
        throw new Error("nope");
      },
    };
    expect(JSON.parse(serializeValue(hostile, 1000) ?? "")).toEqual({ $unserializable: "nope" });
  });
});

describe("failFields", () => {
  it("takes message and stack from an Error, or from options", () => {
    const err = new Error("Connection refused");
    expect(JSON.parse(`{"x":0${failFields(err, 10_000)}}`)).toMatchObject({
      errorMessage: "Connection refused",
      errorStack: err.stack,
    });
    expect(JSON.parse(`{"x":0${failFields({ errorMessage: "boom", output: { partial: 1 } }, 10_000)}}`)).toEqual({
      x: 0,
      errorMessage: "boom",
      output: { partial: 1 },
    });
    expect(JSON.parse(`{"x":0${failFields({ error: "plain string" }, 10_000)}}`).errorMessage).toBe("plain string");
  });

  it("cuts very long messages so one event cannot outgrow a batch", () => {
    const fields = JSON.parse(`{"x":0${failFields({ errorMessage: "m".repeat(500) }, 100)}}`);
    expect(fields.errorMessage).toBe(`${"m".repeat(100)}… [truncated]`);
  });
});

describe("ids", () => {
  it("makes RFC 9562 UUIDv7s that sort by time", () => {
    const re = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const ids = Array.from({ length: 2000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    for (const id of ids) expect(id).toMatch(re);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    expect(uuidv7(0x0123456789ab).slice(0, 13)).toBe("01234567-89ab");
  });

  it("makes unique event ids per generator and across generators", () => {
    const a = createEventIdGenerator();
    const b = createEventIdGenerator();
    const ids = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      ids.add(a());
      ids.add(b());
    }
    expect(ids.size).toBe(10_000);
  });
});

describe("isoNow", () => {
  it("formats ISO-8601 with milliseconds", () => {
    expect(isoNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});

function context(lastSeq = -1): RunContext {
  const recorder = {
    active: true,
    maxValueBytes: 1000,
    heartbeatTimeoutMs: undefined,
    nextEventId: () => "e",
    enqueue: () => {},
    runClosed: () => {},
  };
  return { id: "r", name: "run", recorder, lastSeq, status: "running", touched: false, abort: undefined };
}

function seqOf(json: string): number {
  return (JSON.parse(`${json}}`) as { seq: number }).seq;
}

describe("seq (hybrid logical clock)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is the time in µs, or the previous seq + 1 when the clock has not moved on", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const run = context();
    expect([seqOf(envelope(run, "run.start")), seqOf(envelope(run, "run.log"))]).toEqual([
      1_700_000_000_000_000, 1_700_000_000_000_001,
    ]);
    now.mockReturnValue(1_700_000_000_005);
    expect(seqOf(envelope(run, "run.log"))).toBe(1_700_000_000_005_000);
    expect(run.touched).toBe(true);
  });

  it("stays strictly increasing when the clock steps back, and the ts follows the clock", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_010_000);
    const run = context();
    const seqs = [seqOf(envelope(run, "run.start"))];
    now.mockReturnValue(1_700_000_000_000); // NTP stepped back 10 s
    const back = envelope(run, "run.log");
    seqs.push(seqOf(back), seqOf(envelope(run, "run.log")));
    expect(seqs).toEqual([1_700_000_010_000_000, 1_700_000_010_000_001, 1_700_000_010_000_002]);
    expect(JSON.parse(`${back}}`).ts).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it("starts after a floor (a resumed run's lastSeq) even when that is ahead of the clock", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const run = context(1_800_000_000_000_000);
    expect(seqOf(envelope(run, "task.start"))).toBe(1_800_000_000_000_001);
  });

  it("prints every seq exactly as String() does", () => {
    const ms = 1_700_000_000_123;
    for (const offset of [0, 1, 9, 10, 99, 100, 999, 1000, 123_456, -5]) {
      expect(seqText(ms * 1000 + offset, ms)).toBe(String(ms * 1000 + offset));
    }
    expect(seqText(7, 0)).toBe("7");
    expect(seqText(1500.5 * 1000 + 3, 1500.5)).toBe(String(1500.5 * 1000 + 3));
    expect(seqText(42, -1)).toBe("42");
  });

  it("interleaves two runs' events by wall-clock", () => {
    const now = vi.spyOn(Date, "now");
    const a = context();
    const b = context();
    now.mockReturnValue(1_000);
    const a1 = seqOf(envelope(a, "run.start"));
    now.mockReturnValue(2_000);
    const b1 = seqOf(envelope(b, "run.start"));
    now.mockReturnValue(3_000);
    const a2 = seqOf(envelope(a, "run.log"));
    expect(a1 < b1 && b1 < a2).toBe(true);
  });
});

describe("usageField", () => {
  it("encodes the given fields and rejects bad ones with the key in the message", () => {
    expect(usageField(undefined, "x")).toBe("");
    expect(JSON.parse(`{"a":0${usageField({ inputTokens: 10, outputTokens: 0, costUsd: 0.25 }, "x")}}`).usage).toEqual({
      inputTokens: 10,
      outputTokens: 0,
      costUsd: 0.25,
    });
    expect(() => usageField({ inputTokens: -1 }, "complete()")).toThrow(/usage.inputTokens must be a non-negative/);
    expect(() => usageField({ costUsd: Number.NaN }, "x")).toThrow(/usage.costUsd/);
    expect(() => usageField({ outputTokens: Number.POSITIVE_INFINITY }, "x")).toThrow(/usage.outputTokens/);
    expect(() => usageField({ tokens: 3 } as never, "x")).toThrow(/usage.tokens is not a usage field/);
    expect(() => usageField({ inputTokens: "5" } as never, "x")).toThrow(/usage.inputTokens/);
    expect(() => usageField([] as never, "x")).toThrow(/usage must be an object/);
  });
});
