import type { TaskSummaryView, TimelineTask } from "@runtrail/db";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeTasks, encodeTasks, taskDecoder } from "./timeline-codec";

const T = Date.UTC(2030, 0, 1);

const task = (i: number, extra: Partial<TimelineTask> = {}): TimelineTask => ({
  id: `0123456789abcdef0123.${i.toString(36)}`,
  parentTaskId: null,
  name: i % 2 ? "llm-call" : "tool:search",
  status: "completed",
  errorMessage: null,
  statusMessage: null,
  progress: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  version: 3,
  seq: 1_800_000_000_000_000 + i * 7,
  startMs: T + i * 10,
  endMs: T + i * 10 + 4,
  ...extra,
});

/** What the timeline should get for a task: the same fields, times as ISO strings. */
function view(runId: string, t: TimelineTask): TaskSummaryView {
  const reported = t.inputTokens !== null || t.outputTokens !== null || t.costUsd !== null;
  return {
    id: t.id,
    runId,
    parentTaskId: t.parentTaskId,
    name: t.name,
    status: t.status,
    errorMessage: t.errorMessage,
    statusMessage: t.statusMessage,
    progress: t.progress,
    usage: reported ? { inputTokens: t.inputTokens ?? 0, outputTokens: t.outputTokens ?? 0, costUsd: t.costUsd ?? 0 } : null,
    seq: t.seq,
    startedAt: t.startMs === null ? null : new Date(t.startMs).toISOString(),
    endedAt: t.endMs === null ? null : new Date(t.endMs).toISOString(),
    durationMs: t.startMs !== null && t.endMs !== null ? Math.max(0, t.endMs - t.startMs) : null,
    version: t.version,
  };
}

/** Through JSON, as it travels. */
const roundTrip = (tasks: TimelineTask[]) => decodeTasks("r", JSON.parse(JSON.stringify(encodeTasks(tasks))));

describe("timeline codec", () => {
  it("gives back every field of every task, in order", () => {
    const tasks = [
      task(0),
      task(1, { parentTaskId: task(0).id, status: "failed", errorMessage: "boom", inputTokens: 12, outputTokens: 0, costUsd: 0.0031 }),
      task(2, { parentTaskId: "from-another-chunk", status: "running", endMs: null, progress: 0.5, statusMessage: "half" }),
      task(3, { parentTaskId: task(0).id, seq: null, startMs: null, endMs: T + 2 }),
      task(4, { parentTaskId: "from-another-chunk", costUsd: 0.5 }),
      task(5, { startMs: T - 50, endMs: T - 60 }),
    ];
    expect(roundTrip(tasks)).toEqual(tasks.map((t) => view("r", t)));
    expect(roundTrip([])).toEqual([]);
  });

  it("decodes a slice at a time to the same tasks", () => {
    const tasks = Array.from({ length: 250 }, (_, i) => task(i, { parentTaskId: i % 10 ? task(i - (i % 10)).id : null, seq: i % 7 ? 1000 + i : null }));
    const decoder = taskDecoder("r", JSON.parse(JSON.stringify(encodeTasks(tasks))));
    const got = [];
    while (!decoder.done) got.push(...decoder.take(33));
    expect(got).toEqual(tasks.map((t) => view("r", t)));
    expect(decoder.take(10)).toEqual([]);
  });

  it("sends SDK-style ids, names and times in a few bytes each", () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) => task(i, { parentTaskId: i % 100 ? task(i - (i % 100)).id : null, version: 100 + (i >> 10) }));
    const asObjects = JSON.stringify(tasks.map((t) => view("0196d3c8-7e8a-7c3b-9a7e-1f2e3d4c5b6a", t))).length;
    const encoded = JSON.stringify(encodeTasks(tasks)).length;
    expect(encoded / tasks.length).toBeLessThan(30);
    expect(encoded * 10).toBeLessThan(asObjects);
  });

  it("writes times exactly as toISOString does, in years 0 to 9999 and past them", () => {
    const times = [0, -1, 1, 59_999, 60_000, Date.UTC(1969, 11, 31, 23, 59, 59, 999), Date.UTC(2030, 0, 1, 0, 0, 9, 7), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(10000, 0, 1), -62_198_755_200_000];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...times), fc.integer({ min: -62_198_755_200_000, max: 4_000_000_000_000_000 }), fc.integer({ min: T - 120_000, max: T + 120_000 })), { maxLength: 30 }), (ms) => {
        const tasks = ms.map((m, i) => task(i, { startMs: m, endMs: m }));
        expect(roundTrip(tasks).map((t) => t.startedAt)).toEqual(ms.map((m) => new Date(m).toISOString()));
      }),
    );
  });

  it("round-trips any tasks (property)", () => {
    const id = fc.string({ minLength: 1, maxLength: 12 });
    const num = fc.option(fc.integer({ min: -1e6, max: 1e6 }), { nil: null });
    const arbTask = fc.record({
      id,
      parentTaskId: fc.option(id, { nil: null }),
      name: fc.string({ maxLength: 6 }),
      status: fc.constantFrom("running", "completed", "failed", "skipped", "cancelled" as const),
      errorMessage: fc.option(fc.string(), { nil: null }),
      statusMessage: fc.option(fc.string(), { nil: null }),
      progress: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
      inputTokens: num,
      outputTokens: num,
      costUsd: fc.option(fc.double({ min: 0, max: 100, noNaN: true }), { nil: null }),
      version: fc.integer({ min: 0, max: 1e9 }),
      seq: fc.option(fc.integer({ min: 0, max: 2 ** 52 }), { nil: null }),
      startMs: fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: null }),
      endMs: fc.option(fc.integer({ min: 0, max: 4e12 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arbTask, { selector: (t) => t.id, maxLength: 40 }), (tasks) => {
        expect(roundTrip(tasks)).toEqual(tasks.map((t) => view("r", t)));
      }),
    );
  });
});
