import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonDepth } from "./depth";
import { type EventLimits, eventParser } from "./events";

const LIMITS: EventLimits = { idChars: 200, nameChars: 500, textChars: 65_536, tags: 50, tagChars: 200, jsonDepth: 64 };
const parse = eventParser(LIMITS);
const base = { id: "e1", runId: "r1", seq: 1, ts: "2026-01-01T00:00:00.000Z" };

/** `{"a":{"a":…1…}}` with `depth` objects. */
function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const errorOf = (raw: unknown, clean = false) => {
  const parsed = parse(raw, 3, clean);
  return parsed.ok ? null : parsed.error;
};

describe("jsonDepth", () => {
  it("counts containers, not scalars, and survives depths that would overflow a recursive walk", () => {
    expect([jsonDepth(1), jsonDepth("x"), jsonDepth(null), jsonDepth([]), jsonDepth({ a: [1, { b: [] }] })]).toEqual([0, 0, 0, 1, 4]);
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    expect(jsonDepth(deep)).toBe(200_000);
    expect(jsonDepth({ wide: Array.from({ length: 10_000 }, () => ({ x: [1] })) })).toBe(4);
  });
});

describe("eventParser", () => {
  it("rejects free-form fields nested past the limit, naming the field, the depth and the limit", () => {
    expect(errorOf({ ...base, type: "run.start", name: "n", input: nested(64) })).toBeNull();
    expect(errorOf({ ...base, type: "run.start", name: "n", input: nested(65) })).toBe("batch[3].input: nested 65 levels deep; the limit is 64");
    expect(errorOf({ ...base, type: "run.start", name: "n", metadata: { a: nested(64) } })).toBe(
      "batch[3].metadata: nested 65 levels deep; the limit is 64",
    );
    expect(errorOf({ ...base, type: "task.complete", taskId: "t", output: JSON.parse(`${"[".repeat(100_000)}${"]".repeat(100_000)}`) })).toBe(
      "batch[3].output: nested 100000 levels deep; the limit is 64",
    );
    expect(errorOf({ ...base, type: "run.log", message: "m", attributes: { x: nested(80) } }, true)).toMatch(/^batch\[3\]\.attributes: nested 81 levels/);
    // A field the type does not take is dropped, not measured.
    expect(errorOf({ ...base, type: "run.heartbeat", input: nested(1000) })).toBeNull();
  });

  it("names the field and the limit for every length, and for tag counts", () => {
    const long = (n: number) => "x".repeat(n);
    expect(errorOf({ ...base, id: long(201), type: "run.heartbeat" })).toBe("batch[3].id: 201 characters; the limit is 200");
    expect(errorOf({ ...base, type: "task.start", taskId: long(300), name: "n" })).toBe("batch[3].taskId: 300 characters; the limit is 200");
    expect(errorOf({ ...base, type: "run.start", name: long(501) })).toBe("batch[3].name: 501 characters; the limit is 500");
    expect(errorOf({ ...base, type: "run.start", name: "" })).toBe("batch[3].name: must not be empty");
    expect(errorOf({ ...base, type: "run.start", name: "n", tags: Array.from({ length: 51 }, (_, i) => `t${i}`) })).toBe(
      "batch[3].tags: 51 tags; the limit is 50",
    );
    expect(errorOf({ ...base, type: "run.start", name: "n", tags: ["ok", long(201)] })).toBe("batch[3].tags[1]: 201 characters; the limit is 200");
    expect(errorOf({ ...base, type: "task.fail", taskId: "t", errorMessage: long(65_537) })).toBe(
      "batch[3].errorMessage: 65537 characters; the limit is 65536",
    );
    expect(errorOf({ ...base, type: "task.fail", taskId: "t", errorMessage: "m", errorStack: long(65_537) })).toMatch(/^batch\[3\]\.errorStack: 65537/);
    expect(errorOf({ ...base, type: "task.skip", taskId: "t", reason: long(65_537) })).toMatch(/^batch\[3\]\.reason: 65537/);
    expect(errorOf({ ...base, type: "task.log", taskId: "t", message: long(65_537) })).toMatch(/^batch\[3\]\.message: 65537/);
    expect(errorOf({ ...base, type: "task.update", taskId: "t", statusMessage: long(65_537) })).toMatch(/^batch\[3\]\.statusMessage: 65537/);
    // Exactly at each limit is fine.
    expect(errorOf({ ...base, id: long(200), type: "run.start", name: long(500), tags: Array(50).fill(long(200)) })).toBeNull();
  });

  it("follows the limits it was made with", () => {
    const tight = eventParser({ idChars: 10, nameChars: 5, textChars: 20, tags: 1, tagChars: 3, jsonDepth: 2 });
    const error = (raw: unknown) => {
      const parsed = tight(raw, 0, false);
      return parsed.ok ? null : parsed.error;
    };
    expect(error({ ...base, type: "run.start", name: "abcdef" })).toBe("batch[0].name: 6 characters; the limit is 5");
    expect(error({ ...base, type: "run.start", name: "a", tags: ["a", "b"] })).toBe("batch[0].tags: 2 tags; the limit is 1");
    expect(error({ ...base, type: "run.start", name: "a", input: [[[]]] })).toBe("batch[0].input: nested 3 levels deep; the limit is 2");
    expect(error({ ...base, type: "run.fail", errorMessage: "x".repeat(21) })).toBe("batch[0].errorMessage: 21 characters; the limit is 20");
  });

  it("refuses ids with a NUL or a lone surrogate; elsewhere replaces them with U+FFFD when asked to clean", () => {
    expect(errorOf({ ...base, runId: "r\u0000", type: "run.heartbeat" })).toBe("batch[3].runId: contains a NUL character (U+0000), which cannot be stored");
    expect(errorOf({ ...base, id: "e\ud800", type: "run.heartbeat" })).toBe("batch[3].id: contains a lone UTF-16 surrogate, which cannot be stored");
    expect(errorOf({ ...base, type: "task.start", taskId: "t", name: "n", parentTaskId: "\udc00" })).toMatch(/^batch\[3\]\.parentTaskId: contains a lone/);
    expect(errorOf({ ...base, type: "run.start", name: "n", parentRunId: "\u0000" })).toMatch(/^batch\[3\]\.parentRunId: contains a NUL/);
    expect(errorOf({ ...base, id: "ok \u{1F600}", type: "run.heartbeat" })).toBeNull();

    const parsed = parse(
      { ...base, type: "run.start", name: "a\u0000b", tags: ["t\ud800"], metadata: { "k\u0000": ["v\udfff"] }, input: { s: "\ud83d\ude00\u0000" } },
      0,
      true,
    );
    expect(parsed.ok && parsed.event.payload).toEqual({
      name: "a\uFFFDb",
      tags: ["t\uFFFD"],
      metadata: { "k\uFFFD": ["v\uFFFD"] },
      input: { s: "\u{1F600}\uFFFD" },
    });
  });

  it("keeps a __proto__ key of a payload as data, and refuses type names that are Object.prototype members", () => {
    const raw = JSON.parse('{"id":"e","runId":"r","seq":1,"ts":"2026-01-01T00:00:00Z","type":"run.start","name":"n","metadata":{"__proto__":{"x":1}},"input":{"__proto__":[1]}}');
    for (const clean of [false, true]) {
      const parsed = parse(raw, 0, clean);
      expect(parsed.ok).toBe(true);
      if (!parsed.ok) continue;
      expect(JSON.stringify(parsed.event.payload)).toBe('{"name":"n","input":{"__proto__":[1]},"metadata":{"__proto__":{"x":1}}}');
      expect(Object.getPrototypeOf(parsed.event.payload.metadata)).toBe(Object.prototype);
    }
    for (const type of ["toString", "constructor", "__proto__", "hasOwnProperty"]) {
      expect(errorOf({ ...base, type })).toMatch(new RegExp(`^batch\\[3\\]\\.type: unknown event type "${type}"`));
    }
  });
});

describe("the task.start / task.complete shortcut", () => {
  const viaZod = eventParser(LIMITS, { shortcut: false });
  const text = fc.oneof(
    fc.constantFrom("", "t", "x".repeat(200), "x".repeat(201), "x".repeat(500), "x".repeat(501), "a\u0000b", "a\ud800", "ok \u{1F600}"),
    fc.string({ maxLength: 8 }),
  );
  const anything = fc.oneof(text, fc.integer(), fc.double(), fc.constant(null), fc.boolean(), fc.constant([]), fc.constant({}), fc.constant({ a: [1] }));
  const seq = fc.oneof(fc.integer({ min: -2, max: 10 }), fc.constantFrom(1.5, -0, 2 ** 53 - 1, 2 ** 53, 1e300), anything);
  const ts = fc.oneof(
    fc.constantFrom(
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T00:00:00Z",
      "2026-01-01T00:00Z",
      "2026-01-01T00:00:00+02:00",
      "0001-01-01T00:30:00+01:00",
      "0001-01-01T02:00:00+01:00",
      "9999-12-31T23:30:00-01:00",
      "9999-12-31T22:00:00-01:00",
      "0000-06-01T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-01-01",
      "yesterday",
    ),
    anything,
  );
  const amount = fc.oneof(fc.constantFrom(0, -0, 12, 0.5, 1e15, 1e15 + 1, -1), anything);
  const usage = fc.oneof(
    fc.record({ inputTokens: amount, outputTokens: amount, costUsd: amount }, { requiredKeys: [] }),
    fc.constantFrom({ tokens: 1 }, JSON.parse('{"__proto__":{"inputTokens":1}}'), [], null, "1"),
  );
  // Mostly valid fields, so that many events pass the shortcut and a few fields break it.
  const usually = <T,>(valid: fc.Arbitrary<T>, broken: fc.Arbitrary<unknown>) => fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: broken, weight: 1 });
  const id = fc.constantFrom("e1", "r-9", "t.a", "ok \u{1F600}", "x".repeat(200));
  const event = fc.record(
    {
      id: usually(id, text),
      runId: usually(id, text),
      seq: usually(fc.integer({ min: 0, max: 1e6 }), seq),
      ts: usually(fc.constant("2026-01-01T00:00:00.000Z"), ts),
      type: fc.constantFrom("task.start", "task.complete"),
      taskId: usually(id, fc.oneof(text, anything)),
      name: usually(fc.constantFrom("step", "x".repeat(500)), fc.oneof(text, anything)),
      input: anything,
      parentTaskId: usually(id, fc.oneof(text, anything)),
      output: anything,
      usage: usually(fc.record({ inputTokens: fc.nat(), costUsd: fc.double({ min: 0, max: 1, noNaN: true }) }, { requiredKeys: [] }), usage),
      extra: anything,
    },
    { requiredKeys: ["type", "id", "runId", "seq", "ts", "taskId"] },
  );

  it("accepts and stores exactly what zod does", () => {
    let accepted = 0;
    fc.assert(
      fc.property(event, fc.boolean(), (raw, clean) => {
        const got = parse(raw, 0, clean);
        expect(got).toEqual(viaZod(raw, 0, clean));
        if (got.ok) accepted++;
      }),
      { numRuns: 3000 },
    );
    // The comparison means something only if both outcomes were common.
    expect(accepted).toBeGreaterThan(300);
    expect(accepted).toBeLessThan(2700);
  });

  it("takes the common events in their usual form", () => {
    const start = { ...base, type: "task.start", taskId: "t", name: "step", input: { a: 1 }, parentTaskId: "p", unknown: 1 };
    const complete = { ...base, type: "task.complete", taskId: "t", output: null, usage: { inputTokens: 3, costUsd: 0.1 } };
    for (const raw of [start, complete]) {
      const got = parse(raw, 0, false);
      expect(got.ok).toBe(true);
      expect(got).toEqual(viaZod(raw, 0, false));
    }
    expect(parse(start, 0, false)).toMatchObject({ event: { taskId: "t", payload: { name: "step", input: { a: 1 }, parentTaskId: "p" } } });
    expect(parse(complete, 0, false)).toMatchObject({ event: { payload: { output: null, usage: { inputTokens: 3, costUsd: 0.1 } } } });
  });
});
