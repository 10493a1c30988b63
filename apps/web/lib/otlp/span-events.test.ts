import { describe, expect, it } from "vitest";
import { Notes } from "./any-value";
import type { OtlpSpan } from "./model";
import { LOCAL_ROOT_OFFSET, SPAN_ATTRIBUTES, spanEvents } from "./span-events";

const limits = { nameChars: 20, textChars: 40, maxDepth: 10, maxValueChars: 1000 };
const context = { resource: { "service.name": "svc" }, scopeName: "scope", scopeVersion: "1" };
const T0 = 1_700_000_000_000_000_000n;

function span(over: Partial<OtlpSpan> = {}): OtlpSpan {
  return {
    traceId: "a".repeat(32),
    spanId: "b".repeat(16),
    parentSpanId: "c".repeat(16),
    parentIsRemote: false,
    name: "step",
    kind: 1,
    startNs: T0,
    endNs: T0 + 2_500_000n,
    attributes: { "http.method": "GET" },
    events: [],
    statusCode: 0,
    statusMessage: "",
    traceState: "",
    links: 0,
    dropped: { attributes: 0, events: 0, links: 0 },
    ...over,
  };
}

describe("spanEvents", () => {
  it("makes a task's start and end with ids from the span id and seqs in microseconds", () => {
    const events = spanEvents(span(), context, limits, new Notes());
    // Object.entries leaves the symbol-keyed attributes out.
    expect(events.map((e) => Object.fromEntries(Object.entries(e)))).toEqual([
      { id: `${"b".repeat(16)}:start`, type: "task.start", runId: "a".repeat(32), seq: 1_700_000_000_000_000, ts: "2023-11-14T22:13:20.000Z", taskId: "b".repeat(16), name: "step", parentTaskId: "c".repeat(16) },
      { id: `${"b".repeat(16)}:end`, type: "task.complete", runId: "a".repeat(32), seq: 1_700_000_000_002_500, ts: "2023-11-14T22:13:20.002Z", taskId: "b".repeat(16) },
    ]);
    expect(events[0]?.[SPAN_ATTRIBUTES]).toEqual({ "service.name": "svc", "otel.scope.name": "scope", "otel.scope.version": "1", "http.method": "GET" });
  });

  it("fails a span with status ERROR with its last exception, logs its events, and cuts long texts", () => {
    const events = spanEvents(
      span({
        name: "a name far longer than twenty",
        statusCode: 2,
        statusMessage: "status says",
        events: [
          { timeNs: T0 + 1000n, name: "exception", attributes: { "exception.type": "TypeError", "exception.message": "first", "exception.stacktrace": "s1" } },
          { timeNs: T0 + 2000n, name: "exception", attributes: { "exception.message": "x".repeat(100), "exception.stacktrace": "TypeError: x\n  at f" } },
        ],
      }),
      context,
      limits,
      new Notes(),
    );
    const byType = Object.fromEntries(events.map((e) => [`${String(e.type)}${e.type === "task.log" ? e.seq : ""}`, e]));
    expect(byType["task.start"]?.name).toBe("a name … [truncated]");
    expect(byType["task.fail"]).toMatchObject({ errorMessage: `${"x".repeat(27)}… [truncated]`, errorStack: "TypeError: x\n  at f" });
    expect(byType[`task.log${1_700_000_000_000_001}`]).toMatchObject({ level: "error", message: "exception: TypeError: first" });
    expect(events.filter((e) => e.type === "task.log")).toHaveLength(2);
  });

  it("starts and ends the run from a root span, and from a local root LOCAL_ROOT_OFFSET later", () => {
    const root = spanEvents(span({ parentSpanId: null, statusCode: 2 }), context, limits, new Notes());
    expect(root.find((e) => e.type === "run.start")).toMatchObject({ id: `${"b".repeat(16)}:run-start`, name: "step", tags: ["otlp"], metadata: { "service.name": "svc" }, seq: 1_700_000_000_000_000 });
    expect(root.find((e) => e.type === "run.fail")).toMatchObject({ errorMessage: "the span ended with status ERROR", seq: 1_700_000_000_002_500 });
    const local = spanEvents(span({ parentIsRemote: true }), context, limits, new Notes());
    expect(local.find((e) => e.type === "run.start")?.seq).toBe(1_700_000_000_000_000 + LOCAL_ROOT_OFFSET);
    expect(local.find((e) => e.type === "run.complete")?.seq).toBe(1_700_000_000_002_500 + LOCAL_ROOT_OFFSET);
    expect(spanEvents(span(), context, limits, new Notes()).some((e) => String(e.type).startsWith("run."))).toBe(false);
  });

  it("names a nameless span, and its run after the service", () => {
    const events = spanEvents(span({ name: "", parentSpanId: null }), context, limits, new Notes());
    expect(events.find((e) => e.type === "task.start")?.name).toBe("(unnamed span)");
    expect(events.find((e) => e.type === "run.start")?.name).toBe("svc");
  });

  it("leaves a span without an end running", () => {
    expect(spanEvents(span({ endNs: 0n, parentSpanId: null }), context, limits, new Notes()).map((e) => e.type)).toEqual(["task.start", "run.start"]);
  });
});
