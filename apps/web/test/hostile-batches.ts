import fc from "fast-check";
import { BASE_MS, prng, type RawEvent, shuffled } from "./harness";

/**
 * Random and hostile ingest batches for the property test (api-ingest-property.test.ts),
 * and the model of what the server must answer and store for them.
 *
 * A case plans 1..3 runs of valid events (starts, ends, logs, updates, with HTML,
 * NULs, lone surrogates, emoji, long and deep-but-legal values), gives them
 * distinct seqs in a random order, then breaks about a quarter of the events (wrong
 * types, missing fields, over-long strings, over-deep JSON, unstorable ids, unknown
 * or server-only types, non-objects), adds junk, exact duplicates and events that
 * reuse another event's id, and shuffles the lot.
 */

/** Bits of text a hostile client likes; NUL and lone surrogates are stored as U+FFFD. */
const NASTY = [
  "<img src=x onerror=alert(1)>",
  "<script>alert(1)</script>",
  "\"'><svg onload=alert(1)>",
  "javascript:alert(1)",
  "'; drop table runs; --",
  "\u0000",
  "\ud800",
  "\udfff",
  "\u202e",
  "__proto__",
  "constructor",
  "%00",
  "\\u0000",
  "😀",
  "\r\n",
  "Ⱥ",
];
const textUnit = fc.oneof(
  { weight: 2, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 1 }) },
  { weight: 5, arbitrary: fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }) },
);
/** Pieces of ids: anything storable (no NUL, no lone surrogate), at most 30 characters a piece. */
const idUnit = fc.oneof(
  fc.constantFrom("<script>", "../", "%2F", " ", "😀", "中", "?#&", "\\"),
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }),
);

const text = fc.oneof(
  { weight: 20, arbitrary: fc.string({ unit: textUnit, minLength: 1, maxLength: 8 }) },
  // At the limits: 65,536 characters of text, 500 three-byte characters of name.
  { weight: 1, arbitrary: fc.constantFrom("x".repeat(65_536), `${"é".repeat(65_535)}<`) },
);
const name = fc.oneof({ weight: 20, arbitrary: fc.string({ unit: textUnit, minLength: 1, maxLength: 8 }) }, { weight: 1, arbitrary: fc.constant("Ⱥ".repeat(500)) });
const idPiece = fc.string({ unit: idUnit, minLength: 1, maxLength: 4 });

/** `{"a":{"a":…1…}}` with `depth` objects. */
export function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

const shallowJson = fc.oneof(
  { weight: 12, arbitrary: fc.jsonValue({ maxDepth: 3, stringUnit: textUnit }) },
  { weight: 1, arbitrary: fc.constant(JSON.parse('{"__proto__":{"polluted":true},"constructor":{"prototype":1}}')) },
);
/** Any JSON, at most the 64 levels the server takes. */
const json = fc.oneof({ weight: 12, arbitrary: shallowJson }, { weight: 1, arbitrary: fc.constant(nested(64)) });
const object = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(fc.string({ unit: textUnit, maxLength: 4 }), shallowJson, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.constant({ deep: nested(63) }) },
);

const taskEnd = fc.oneof(
  fc.record({ type: fc.constant("task.complete"), output: fc.option(json, { nil: undefined }) }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("task.fail"), errorMessage: text, errorStack: fc.option(text, { nil: undefined }), output: fc.option(json, { nil: undefined }) }, { requiredKeys: ["type", "errorMessage"] }),
  fc.record({ type: fc.constant("task.skip"), reason: fc.option(text, { nil: undefined }) }, { requiredKeys: ["type"] }),
);
const taskPlan = fc.record({
  idSuffix: idPiece,
  name,
  input: fc.option(json, { nil: undefined }),
  hasStart: fc.boolean(),
  parent: fc.boolean(),
  update: fc.option(fc.record({ statusMessage: text, progress: fc.double({ min: 0, max: 1, noNaN: true }) }), { nil: undefined }),
  end: fc.option(taskEnd, { nil: undefined }),
});
const logPlan = fc.record({ onTask: fc.boolean(), message: text, level: fc.option(fc.constantFrom("debug", "info", "warn", "error"), { nil: undefined }), attributes: fc.option(object, { nil: undefined }) });
const runEnd = fc.oneof(
  fc.record({ type: fc.constant("run.complete"), output: fc.option(json, { nil: undefined }) }, { requiredKeys: ["type"] }),
  fc.record({ type: fc.constant("run.fail"), errorMessage: text, errorStack: fc.option(text, { nil: undefined }) }, { requiredKeys: ["type", "errorMessage"] }),
);
type RunPlan = typeof runPlan extends fc.Arbitrary<infer T> ? T : never;
const runPlan = fc.record({
  idSuffix: fc.oneof({ weight: 8, arbitrary: idPiece }, { weight: 1, arbitrary: fc.constant("中".repeat(150)) }),
  hasStart: fc.boolean(),
  name,
  input: fc.option(json, { nil: undefined }),
  metadata: fc.option(object, { nil: undefined }),
  tags: fc.option(fc.array(fc.string({ unit: textUnit, minLength: 1, maxLength: 6 }), { maxLength: 4 }), { nil: undefined }),
  tasks: fc.array(taskPlan, { maxLength: 3 }),
  logs: fc.array(logPlan, { maxLength: 2 }),
  end: fc.option(runEnd, { nil: undefined }),
});

export interface Plan {
  runs: RunPlan[];
  /** Drives the seq order, the breakage, the junk and the shuffle, so a failing case replays from its seed. */
  seed: number;
}
export const plans: fc.Arbitrary<Plan> = fc.record({ runs: fc.array(runPlan, { minLength: 1, maxLength: 3 }), seed: fc.integer() });

const drop = (e: RawEvent, key: string): RawEvent => {
  const { [key]: _, ...rest } = e;
  return rest;
};
const has = (e: RawEvent, key: string) => key in e;
const takesJson = (e: RawEvent) => ["run.start", "task.start", "task.complete", "task.fail", "run.complete", "run.fail"].includes(String(e.type));

/** Ways to make an event invalid; each returns undefined when it does not apply to the event. */
const BREAKERS: ((e: RawEvent) => unknown)[] = [
  (e) => drop(e, "id"),
  (e) => drop(e, "runId"),
  (e) => drop(e, "seq"),
  (e) => drop(e, "ts"),
  (e) => drop(e, "type"),
  (e) => ({ ...e, seq: -1 }),
  (e) => ({ ...e, seq: 1.5 }),
  (e) => ({ ...e, seq: String(e.seq) }),
  (e) => ({ ...e, seq: 2 ** 53 }),
  (e) => ({ ...e, ts: "yesterday" }),
  (e) => ({ ...e, ts: "0000-01-01T00:00:00Z" }),
  (e) => ({ ...e, id: "i".repeat(201) }),
  (e) => ({ ...e, id: "" }),
  (e) => ({ ...e, id: `${e.id}\u0000` }),
  (e) => ({ ...e, runId: `${e.runId}\ud800` }),
  (e) => ({ ...e, type: "task.explode" }),
  (e) => ({ ...e, type: "run.cancel" }),
  (e) => ({ ...e, type: "toString" }),
  (e) => ({ ...e, type: 7 }),
  () => null,
  () => 42,
  () => "an event",
  (e) => [e],
  (e) => (has(e, "name") ? { ...e, name: 42 } : undefined),
  (e) => (has(e, "name") ? { ...e, name: "" } : undefined),
  (e) => (has(e, "name") ? { ...e, name: "n".repeat(501) } : undefined),
  (e) => (has(e, "taskId") ? { ...e, taskId: 5 } : undefined),
  (e) => (has(e, "taskId") ? { ...e, taskId: `${e.taskId}\udc00` } : undefined),
  (e) => (has(e, "taskId") ? drop(e, "taskId") : undefined),
  (e) => (has(e, "errorMessage") ? { ...e, errorMessage: "m".repeat(65_537) } : undefined),
  (e) => (has(e, "errorMessage") ? drop(e, "errorMessage") : undefined),
  (e) => (has(e, "message") ? { ...e, message: null } : undefined),
  (e) => (takesJson(e) ? { ...e, [e.type === "run.start" || e.type === "task.start" ? "input" : "output"]: nested(65) } : undefined),
  (e) => (e.type === "run.start" ? { ...e, tags: "x" } : undefined),
  (e) => (e.type === "run.start" ? { ...e, tags: Array.from({ length: 51 }, (_, i) => `t${i}`) } : undefined),
  (e) => (e.type === "run.start" ? { ...e, metadata: [1] } : undefined),
  (e) => (e.type === "run.start" ? { ...e, metadata: { x: nested(64) } } : undefined),
  (e) => (e.type === "task.complete" ? { ...e, usage: { inputTokens: -1 } } : undefined),
  (e) => (e.type === "task.update" ? { ...e, progress: 2 } : undefined),
  (e) => (has(e, "level") || String(e.type).endsWith(".log") ? { ...e, level: "loud" } : undefined),
];

/** One entry of the batch as sent, and what the server must make of it. */
export interface Entry {
  raw: unknown;
  /** The valid event it is (and whether the server must accept it), or null when broken. */
  valid: RawEvent | null;
}

/** The batch for a plan: entries in send order. Run ids start with `prefix` (unique per case). */
export function buildBatch(plan: Plan, prefix: string): Entry[] {
  const rand = prng(plan.seed);
  const entries: Entry[] = [];
  plan.runs.forEach((run, r) => {
    const runId = `${prefix}-${r}-${run.idSuffix}`.slice(0, 200);
    const events: Record<string, unknown>[] = [];
    if (run.hasStart) events.push({ type: "run.start", name: run.name, input: run.input, metadata: run.metadata, tags: run.tags });
    run.tasks.forEach((t, k) => {
      const taskId = `t${k}-${t.idSuffix}`;
      const parentTaskId = t.parent && k > 0 ? `t0-${run.tasks[0]?.idSuffix}` : undefined;
      if (t.hasStart) events.push({ type: "task.start", taskId, name: t.name, input: t.input, parentTaskId });
      if (t.update) events.push({ type: "task.update", taskId, ...t.update });
      if (t.end) events.push({ ...t.end, taskId });
    });
    run.logs.forEach((l, k) => {
      const taskId = l.onTask && run.tasks[0] ? `t0-${run.tasks[0].idSuffix}` : undefined;
      events.push({ type: taskId ? "task.log" : "run.log", taskId, message: l.message, level: l.level, attributes: l.attributes, logNo: k });
    });
    if (run.end) events.push(run.end);
    // Distinct seqs in a random order: arrival order and seq order disagree.
    const seqs = shuffled(
      events.map((_, i) => 1_000 + i * 7),
      rand,
    );
    events.forEach((fields, i) => {
      const { logNo: _, ...rest } = fields;
      const seq = seqs[i] ?? i;
      const event = JSON.parse(JSON.stringify({ id: `e${i}`, runId, seq, ts: new Date(BASE_MS + seq).toISOString(), ...rest })) as RawEvent;
      entries.push(breakMaybe(event, rand));
    });
    // An event reusing another's id: whichever arrives first is stored, the other is a duplicate.
    if (events.length > 0 && rand() < 0.3) {
      const stolen = `e${Math.floor(rand() * events.length)}`;
      entries.push({ raw: null, valid: { id: stolen, runId, seq: 5_000, ts: new Date(BASE_MS).toISOString(), type: "run.log", message: "same id" } });
    }
  });
  for (const entry of entries) if (entry.valid && entry.raw === null) entry.raw = entry.valid;
  // Junk and exact duplicates.
  if (rand() < 0.3) entries.push({ raw: { junk: true, type: "run.start" }, valid: null });
  for (let i = entries.length - 1; i >= 0; i--) if (rand() < 0.1) entries.push(entries[i] as Entry);
  return shuffled(entries, rand);
}

function breakMaybe(event: RawEvent, rand: () => number): Entry {
  if (rand() >= 0.25) return { raw: event, valid: event };
  for (;;) {
    const broken = BREAKERS[Math.floor(rand() * BREAKERS.length)]?.(event);
    if (broken !== undefined) return { raw: broken, valid: null };
  }
}

/** What the server stores for a text or JSON value: NULs and lone surrogates (keys too) as U+FFFD. */
export function stored(value: unknown): unknown {
  if (typeof value === "string") return value.replaceAll("\u0000", "\uFFFD").toWellFormed();
  if (Array.isArray(value)) return value.map(stored);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      Object.defineProperty(out, stored(k) as string, { value: stored(v), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}

export type Status = "accepted" | "duplicate" | "rejected";

export interface ExpectedRun {
  run: Record<string, unknown>;
  /** By task id. */
  tasks: Map<string, Record<string, unknown>>;
  /** In seq order. */
  logs: Record<string, unknown>[];
}

/**
 * The status each entry must get, given which (run, id) pairs were stored before
 * (`stored` is updated), and the events that were applied.
 */
export function expectedStatuses(entries: Entry[], storedIds: Set<string>): { statuses: Status[]; applied: RawEvent[] } {
  const applied: RawEvent[] = [];
  const statuses = entries.map((entry): Status => {
    if (!entry.valid) return "rejected";
    const key = `${entry.valid.runId}\u0001${entry.valid.id}`;
    if (storedIds.has(key)) return "duplicate";
    storedIds.add(key);
    applied.push(entry.valid);
    return "accepted";
  });
  return { statuses, applied };
}

const TASK_STATUS: Record<string, string> = { "task.complete": "completed", "task.fail": "failed", "task.skip": "skipped" };

/** The runs that the applied events (over all batches so far) must read back as. */
export function expectedRuns(applied: RawEvent[]): Map<string, ExpectedRun> {
  const runs = new Map<string, ExpectedRun>();
  const bySeq = [...applied].sort((a, b) => Number(a.seq) - Number(b.seq));
  for (const e of bySeq) {
    const runId = String(e.runId);
    let x = runs.get(runId);
    if (!x) {
      x = { run: { id: runId, name: "", status: "running", input: null, output: null, errorMessage: null, metadata: {}, tags: [] }, tasks: new Map(), logs: [] };
      runs.set(runId, x);
    }
    const v = stored(e) as Record<string, unknown>;
    const type = String(e.type);
    if (type === "run.start") Object.assign(x.run, { name: v.name, input: v.input ?? null, metadata: v.metadata ?? {}, tags: v.tags ?? [] });
    else if (type === "run.complete") Object.assign(x.run, { status: "completed", output: v.output ?? null });
    else if (type === "run.fail") Object.assign(x.run, { status: "failed", errorMessage: v.errorMessage, errorStack: v.errorStack ?? null });
    else if (type.endsWith(".log")) {
      x.logs.push({ taskId: v.taskId ?? null, message: v.message, level: v.level ?? "info", attributes: v.attributes ?? null });
    } else if (type.startsWith("task.")) {
      const id = String(v.taskId);
      const task = x.tasks.get(id) ?? { id, name: "", status: "running", input: null, output: null, errorMessage: null, parentTaskId: null };
      x.tasks.set(id, task);
      if (type === "task.start") Object.assign(task, { name: v.name, input: v.input ?? null, parentTaskId: v.parentTaskId ?? null });
      const end = TASK_STATUS[type];
      if (end) Object.assign(task, { status: end, output: v.output ?? null, errorMessage: type === "task.fail" ? v.errorMessage : null });
    }
  }
  for (const x of runs.values()) x.run.logCount = x.logs.length;
  return runs;
}
