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
