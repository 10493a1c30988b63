import type { IngestEvent } from "@runtrail/db";
import { z } from "zod";
import { commonEventCheck } from "./common-events";
import type { EventLimits } from "./event-limits";
import { jsonDepth } from "./depth";
import { sanitize, unstorable } from "./sanitize";

/** Per-event validation of the wire protocol (packages/sdk/src/protocol.ts). */

export type { EventLimits } from "./event-limits";

const chars = (max: number) => z.string().max(max, { error: (iss) => `${(iss.input as string).length} characters; the limit is ${max}` });

/** Free-form JSON fields: checked for depth, then passed through untouched (a record schema would drop a "__proto__" key). */
const FREE_FORM = ["input", "output", "metadata", "attributes"] as const;
const object = z.custom<Record<string, unknown>>((v) => v !== null && typeof v === "object" && !Array.isArray(v), "must be an object");

function schemasFor(limits: EventLimits) {
  const id = chars(limits.idChars)
    .min(1, "must not be empty")
    .check((ctx) => {
      const why = unstorable(ctx.value);
      if (why) ctx.issues.push({ code: "custom", message: why, input: ctx.value });
    });
  const name = chars(limits.nameChars).min(1, "must not be empty");
  const longText = chars(limits.textChars);
  const base = {
    id,
    runId: id,
    seq: z.number().int("must be an integer").min(0, "must be >= 0").max(Number.MAX_SAFE_INTEGER),
    ts: z.iso
      .datetime({ offset: true, message: "must be an ISO-8601 date-time" })
      .refine((v) => {
        // Only the edge years can leave 0001..9999 once the offset is applied: the rest skip the Date.
        const y = Number(v.slice(0, 4));
        if (y > 1 && y < 9999) return true;
        const year = new Date(v).getUTCFullYear();
        return year >= 1 && year <= 9999;
      }, "must be between years 0001 and 9999"),
  };
  const amount = z.number().min(0, "must be >= 0").max(1e15, "must be <= 1e15");
  // Token counts may arrive fractional (estimates, averages): stored rounded, not refused.
  const usage = z
    .object({ inputTokens: amount.optional(), outputTokens: amount.optional(), costUsd: amount.optional() })
    .strict()
    .optional();
  const log = {
    message: longText,
    level: z.enum(["debug", "info", "warn", "error"], { message: "must be one of debug, info, warn, error" }).optional(),
    attributes: object.optional(),
  };
  const tags = z
    .array(chars(limits.tagChars).min(1, "must not be empty"))
    .max(limits.tags, { error: (iss) => `${(iss.input as unknown[]).length} tags; the limit is ${limits.tags}` });
  const types = {
    "run.start": z.object({
      ...base,
      name,
      input: z.unknown().optional(),
      metadata: object.optional(),
      tags: tags.optional(),
      parentRunId: id.optional(),
      heartbeatTimeoutMs: z.number().int("must be an integer").min(1000, "must be >= 1000").max(604_800_000, "must be <= 604800000 (7 days)").optional(),
    }),
    "run.complete": z.object({ ...base, output: z.unknown().optional(), usage }),
    "run.fail": z.object({ ...base, errorMessage: longText, errorStack: longText.optional(), output: z.unknown().optional(), usage }),
    "run.heartbeat": z.object(base),
    "run.log": z.object({ ...base, ...log }),
    "task.start": z.object({ ...base, taskId: id, name, input: z.unknown().optional(), parentTaskId: id.optional() }),
    "task.update": z.object({
      ...base,
      taskId: id,
      statusMessage: longText.optional(),
      progress: z.number().min(0, "must be between 0 and 1").max(1, "must be between 0 and 1").optional(),
    }),
    "task.log": z.object({ ...base, taskId: id, ...log }),
    "task.complete": z.object({ ...base, taskId: id, output: z.unknown().optional(), usage }),
    "task.fail": z.object({ ...base, taskId: id, errorMessage: longText, errorStack: longText.optional(), output: z.unknown().optional(), usage }),
    "task.skip": z.object({ ...base, taskId: id, reason: longText.optional() }),
  } as const;
  return { types, ts: base.ts };
}

/** Made by the server only (cancel, timeout): a client may not claim them. */
const SERVER_TYPES = new Set(["run.cancel", "run.timeout", "task.cancel"]);

export type ParsedEvent = { ok: true; event: IngestEvent } | { ok: false; id: string | null; error: string };
/** Validates the event at `index`; `clean` replaces NULs and lone surrogates in its texts and payloads. */
export type EventParser = (raw: unknown, index: number, clean: boolean) => ParsedEvent;

/** The raw value at a zod issue path (zod 4 does not report the input of an issue). */
function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let value = obj;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * A validator of single events within `limits`; an error names the field (`batch[3].taskId: required`).
 * `shortcut: false` sends every event through zod (tests compare the two paths).
 */
export function eventParser(limits: EventLimits, { shortcut = true }: { shortcut?: boolean } = {}): EventParser {
  const { types: schemas, ts: tsSchema } = schemasFor(limits);
  const common = commonEventCheck(limits, (ts) => tsSchema.safeParse(ts).success);
  type EventType = keyof typeof schemas;
  const types = Object.keys(schemas) as EventType[];
  const isType = (t: unknown): t is EventType => typeof t === "string" && Object.hasOwn(schemas, t);
  const freeForm = new Map(types.map((t) => [t, FREE_FORM.filter((f) => f in schemas[t].shape)]));

  return (raw, index, clean) => {
    const at = `batch[${index}]`;
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
      return { ok: false, id: null, error: `${at}: must be an object` };
    }
    const obj = raw as Record<string, unknown>;
    // Echoed in the result so the client can tell which event it was; not when absurdly long.
    const rawId = typeof obj.id === "string" && obj.id.length <= limits.idChars ? obj.id : null;
    if (typeof obj.type === "string" && SERVER_TYPES.has(obj.type)) {
      const how = obj.type === "run.timeout" ? "the server marks silent runs timed_out" : "cancel with POST /api/v1/runs/:id/cancel";
      return { ok: false, id: rawId, error: `${at}.type: "${obj.type}" is made by the server only (${how})` };
    }
    if (!isType(obj.type)) {
      const got = obj.type === undefined ? "required" : `unknown event type ${JSON.stringify(obj.type).slice(0, 100)}`;
      return { ok: false, id: rawId, error: `${at}.type: ${got} (one of ${types.join(", ")})` };
    }
    // Before zod and the sanitizer, which walk values recursively, and before Postgres, whose jsonb parser does.
    for (const field of freeForm.get(obj.type) ?? []) {
      const depth = jsonDepth(obj[field]);
      if (depth > limits.jsonDepth) {
        return { ok: false, id: rawId, error: `${at}.${field}: nested ${depth} levels deep; the limit is ${limits.jsonDepth}` };
      }
    }
    const plain = shortcut ? common(obj, obj.type) : null;
    if (plain) {
      const { id: eventId, runId, seq, ts } = obj as { id: string; runId: string; seq: number; ts: string };
      const payload = clean ? (sanitize(plain.payload) as Record<string, unknown>) : plain.payload;
      return { ok: true, event: { id: eventId, runId, seq, type: obj.type, taskId: plain.taskId, ts: new Date(ts), payload } };
    }
    const result = schemas[obj.type].safeParse(obj);
    if (!result.success) {
      const issue = result.error.issues[0];
      const path = issue?.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("") ?? "";
      const message = issue?.code === "invalid_type" && valueAt(obj, issue.path) === undefined ? "required" : (issue?.message ?? "invalid");
      return { ok: false, id: rawId, error: `${at}${path}: ${message}` };
    }
    const { id: eventId, runId, seq, ts, ...rest } = result.data;
    const { taskId, ...payload } = rest as Record<string, unknown>;
    return {
      ok: true,
      event: {
        id: eventId,
        runId,
        seq,
        type: obj.type,
        taskId: typeof taskId === "string" ? taskId : null,
        ts: new Date(ts),
        // Ids were refused above if unstorable; everything else is made storable.
        payload: clean ? (sanitize(payload) as Record<string, unknown>) : payload,
      },
    };
  };
}
