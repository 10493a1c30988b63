import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeEvent } from "./encode.js";
import type { RunContext } from "./events.js";
import { checkUsage, failInfo, PendingEvent, takeSeq } from "./events.js";
import { EventQueue } from "./queue.js";
import { Recorder } from "./recorder.js";

function context(lastSeq = -1): RunContext {
  const queue = new EventQueue<PendingEvent>({ maxQueueSize: 10, maxQueueBytes: 1000, maxBatchSize: 10, maxBatchBytes: 1000 }, () => "");
  const recorder = new Recorder({ active: true, heartbeatTimeoutMs: undefined, queue, onUnencoded: () => {}, runClosed: () => {} });
  return { id: "r", envelopeJson: '","runId":"r","seq":', name: "run", epochMs: 0, recorder, lastSeq, status: "running", touched: false, abort: undefined };
}

/** Stamps an event of `run` now (as a recording call does) and encodes it. */
function record(run: RunContext, type: "run.start" | "run.log" | "task.start"): { seq: number; ts: string } {
  const ms = Date.now();
  const seq = takeSeq(run, ms);
  const extras = { metadata: undefined, tags: undefined, parentRunId: undefined, heartbeatTimeoutMs: undefined };
  const event = new PendingEvent(run, ms - run.epochMs, seq - ms * 1000, type, type === "task.start" ? 0 : undefined, "x", undefined, extras);
  expect([event.ms, event.seq]).toEqual([ms, seq]);
  return JSON.parse(encodeEvent(event, "e", 1000)) as { seq: number; ts: string };
}

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

describe("seq (hybrid logical clock)", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("is the time in µs, or the previous seq + 1 when the clock has not moved on", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const run = context();
    expect([record(run, "run.start").seq, record(run, "run.log").seq]).toEqual([1_700_000_000_000_000, 1_700_000_000_000_001]);
    now.mockReturnValue(1_700_000_000_005);
    expect(record(run, "run.log").seq).toBe(1_700_000_000_005_000);
    expect(run.touched).toBe(true);
  });

  it("stays strictly increasing when the clock steps back, and the ts follows the clock", () => {
    const now = vi.spyOn(Date, "now").mockReturnValue(1_700_000_010_000);
    const run = context();
    const seqs = [record(run, "run.start").seq];
    now.mockReturnValue(1_700_000_000_000); // NTP stepped back 10 s
    const back = record(run, "run.log");
    seqs.push(back.seq, record(run, "run.log").seq);
    expect(seqs).toEqual([1_700_000_010_000_000, 1_700_000_010_000_001, 1_700_000_010_000_002]);
    expect(back.ts).toBe(new Date(1_700_000_000_000).toISOString());
  });

  it("starts after a floor (a resumed run's lastSeq) even when that is ahead of the clock", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const run = context(1_800_000_000_000_000);
    expect(record(run, "task.start").seq).toBe(1_800_000_000_000_001);
  });

  it("interleaves two runs' events by wall-clock", () => {
    const now = vi.spyOn(Date, "now");
    const a = context();
    const b = context();
    now.mockReturnValue(1_000);
    const a1 = record(a, "run.start").seq;
    now.mockReturnValue(2_000);
    const b1 = record(b, "run.start").seq;
    now.mockReturnValue(3_000);
    const a2 = record(a, "run.log").seq;
    expect(a1 < b1 && b1 < a2).toBe(true);
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
