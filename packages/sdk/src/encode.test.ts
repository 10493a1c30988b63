import { describe, expect, it } from "vitest";
import { encodeEvent, isoNow, seqText, serializeValue, usageField } from "./encode.js";
import { utf8Length } from "./utf8-length.js";
import { checkUsage, failInfo } from "./arguments.js";
import { PendingEvent } from "./pending-event.js";
import type { RunContext } from "./run-state.js";
import type { EventType } from "./protocol.js";

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

const taskIds = { idOf: (n: number) => `t${n}` };
const RUN = { id: 'r"1', envelopeJson: `","runId":${JSON.stringify('r"1')},"seq":`, epochMs: 1_700_000_000_000, taskIds } as unknown as RunContext;
const MS = 1_700_000_000_123;

function encoded(type: EventType, slots: { task?: number; a?: unknown; b?: unknown; c?: unknown }, max = 10_000) {
  const event = new PendingEvent(RUN, MS - RUN.epochMs, 7, type, slots.task, slots.a, slots.b, slots.c);
  return JSON.parse(encodeEvent(event, "id-1", max)) as Record<string, unknown>;
}

describe("encodeEvent", () => {
  it("writes the envelope (escaping a run id from outside) and each type's fields", () => {
    expect(encoded("run.heartbeat", {})).toEqual({
      id: "id-1",
      runId: 'r"1',
      seq: MS * 1000 + 7,
      ts: new Date(MS).toISOString(),
      type: "run.heartbeat",
    });
    const start = encoded("run.start", {
      a: "report",
      b: { file: "a.pdf" },
      c: { metadata: { model: "m" }, tags: ["x"], parentRunId: "p", heartbeatTimeoutMs: 60_000 },
    });
    expect(start).toMatchObject({ name: "report", input: { file: "a.pdf" }, metadata: { model: "m" }, tags: ["x"], parentRunId: "p" });
    expect(start.heartbeatTimeoutMs).toBe(60_000);
    const bare = encoded("run.start", { a: "r", c: { metadata: undefined, tags: undefined, parentRunId: undefined, heartbeatTimeoutMs: undefined } });
    expect(Object.keys(bare)).toEqual(["id", "runId", "seq", "ts", "type", "name"]);
    expect(encoded("task.start", { task: 1, a: "parse", b: [1], c: 'p"' })).toMatchObject({
      taskId: "t1",
      name: "parse",
      input: [1],
      parentTaskId: 'p"',
    });
    expect(encoded("task.update", { task: 1, c: 0.5 })).toMatchObject({ taskId: "t1", progress: 0.5 });
    expect(encoded("task.skip", { task: 1, a: "cache hit" })).toMatchObject({ reason: "cache hit" });
    expect(encoded("run.log", { a: "m", b: { k: 1 }, c: "warn" })).toMatchObject({ message: "m", attributes: { k: 1 }, level: "warn" });
    expect(encoded("task.complete", { task: 1, b: null, c: checkUsage({ inputTokens: 3, costUsd: 0.5 }, "x") })).toMatchObject({
      output: null,
      usage: { inputTokens: 3, costUsd: 0.5 },
    });
  });

  it("takes message and stack from fail()'s argument", () => {
    const err = new Error("Connection refused");
    expect(encoded("task.fail", { task: 2, a: failInfo(err) })).toMatchObject({
      taskId: "t2",
      errorMessage: "Connection refused",
      errorStack: err.stack,
    });
    const fields = encoded("run.fail", { a: failInfo({ errorMessage: "boom", output: { partial: 1 }, usage: { costUsd: 1 } }) });
    expect(fields).toMatchObject({ errorMessage: "boom", output: { partial: 1 }, usage: { costUsd: 1 } });
    expect(fields).not.toHaveProperty("errorStack");
  });

  it("cuts very long messages so one event cannot outgrow a batch", () => {
    expect(encoded("run.fail", { a: failInfo({ errorMessage: "m".repeat(500) }) }, 100).errorMessage).toBe(`${"m".repeat(100)}… [truncated]`);
  });
});

describe("usageField", () => {
  it("encodes a checked usage", () => {
    expect(usageField(undefined)).toBe("");
    expect(usageField({})).toBe(',"usage":{}');
    expect(JSON.parse(`{"a":0${usageField({ inputTokens: 10, outputTokens: 0, costUsd: 0.25 })}}`).usage).toEqual({
      inputTokens: 10,
      outputTokens: 0,
      costUsd: 0.25,
    });
  });
});

describe("seqText and isoNow", () => {
  it("prints every seq exactly as String() does", () => {
    const ms = 1_700_000_000_123;
    for (const offset of [0, 1, 9, 10, 99, 100, 999, 1000, 123_456, -5, 2.5]) {
      expect(seqText(ms, offset)).toBe(String(ms * 1000 + offset));
    }
    expect(seqText(0, 7)).toBe("7");
    expect(seqText(1500.5, 3)).toBe(String(1500.5 * 1000 + 3));
    expect(seqText(-1, 1042)).toBe("42");
  });

  it("formats ISO-8601 with milliseconds", () => {
    expect(isoNow()).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
