import { afterEach, describe, expect, it, vi } from "vitest";
import { encodeEvent } from "./encode.js";
import { IdSequence } from "./ids.js";
import { isAwaitedEvent, PendingEvent, stamp, takeSeq } from "./pending-event.js";
import { EventQueue } from "./queue.js";
import type { RunContext } from "./run-state.js";
import { createRunContext } from "./run-state.js";

function context(lastSeq = -1): RunContext {
  const queue = new EventQueue<PendingEvent>({ maxQueueSize: 10, maxQueueBytes: 1000, maxBatchSize: 10, maxBatchBytes: 1000 }, () => "");
  const ctx = createRunContext({ queue, taskIds: new IdSequence(), closed: () => {} }, { id: "r", name: "run", status: "running", lastSeq });
  return { ...ctx, epochMs: 0 };
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

describe("stamp", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("takes the run's next seq and the time of the call", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_700_000_000_000);
    const run = context();
    const first = stamp(run, "run.start", undefined, "run", undefined, undefined);
    const second = stamp(run, "task.start", 0, "t", undefined, undefined);
    expect([first.seq, second.seq, second.ms]).toEqual([1_700_000_000_000_000, 1_700_000_000_000_001, 1_700_000_000_000]);
    expect(run.touched).toBe(true);
  });

  it("tells the events of awaited calls from those of logs, updates and heartbeats", () => {
    const run = context();
    const awaited = ["run.start", "run.complete", "run.fail", "task.start", "task.complete", "task.fail", "task.skip"] as const;
    const sync = ["run.log", "task.log", "task.update", "run.heartbeat"] as const;
    expect(awaited.map((type) => isAwaitedEvent(stamp(run, type, 0, undefined, undefined, undefined)))).toEqual(awaited.map(() => true));
    expect(sync.map((type) => isAwaitedEvent(stamp(run, type, 0, undefined, undefined, undefined)))).toEqual(sync.map(() => false));
  });
});
