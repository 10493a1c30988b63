import { jsonDepth } from "@/lib/ingest/depth";
import { sanitize } from "@/lib/ingest/sanitize";
import type { OtlpSpan } from "./model";

/**
 * What GenAI instrumentations put on spans, read as a task's usage, input and output:
 * the OpenTelemetry GenAI semantic conventions (current and older names), OpenLLMetry's
 * indexed prompts, OpenInference and the Vercel AI SDK. The attributes and span events
 * used are named in `used`, so they are not repeated as attributes or log lines.
 */

export interface GenAi {
  usage: { inputTokens?: number; outputTokens?: number; costUsd?: number } | null;
  input: unknown;
  output: unknown;
  /** Attribute keys turned into usage, input or output. */
  usedKeys: Set<string>;
  /** Indexes of span events turned into input or output. */
  usedEvents: Set<number>;
}

const INPUT_TOKENS = ["gen_ai.usage.input_tokens", "gen_ai.usage.prompt_tokens", "llm.token_count.prompt"];
const OUTPUT_TOKENS = ["gen_ai.usage.output_tokens", "gen_ai.usage.completion_tokens", "llm.token_count.completion"];
const COST = ["gen_ai.usage.cost", "llm.cost.total"];

/** Single attributes holding a whole input or output, best first. */
const INPUT_KEYS = ["input.value", "gen_ai.input.messages", "gen_ai.prompt", "ai.prompt.messages", "ai.prompt"];
const OUTPUT_KEYS = ["output.value", "gen_ai.output.messages", "gen_ai.completion", "ai.response.text", "ai.response.object", "ai.response.toolCalls"];
/** Flattened message lists (`gen_ai.prompt.0.role`, `llm.input_messages.0.message.content`). */
const INPUT_LISTS = ["gen_ai.prompt", "llm.input_messages"];
const OUTPUT_LISTS = ["gen_ai.completion", "llm.output_messages"];
/** Span events carrying messages (GenAI conventions up to 1.36 and the older content events). */
const INPUT_EVENTS = new Set(["gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message", "gen_ai.content.prompt"]);
const OUTPUT_EVENTS = new Set(["gen_ai.choice", "gen_ai.content.completion"]);

/** Deepest JSON a text attribute may unfold into (the event limit, less the wrapping). */
const MAX_PARSED_DEPTH = 48;

function amount(v: unknown): number | undefined {
  const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= 1e15 ? n : undefined;
}

function firstAmount(attrs: Record<string, unknown>, keys: string[], used: Set<string>): number | undefined {
  for (const k of keys) {
    const n = Object.hasOwn(attrs, k) ? amount(attrs[k]) : undefined;
    if (n !== undefined) {
      used.add(k);
      return n;
    }
  }
  return undefined;
}

/** A text that holds JSON (as instrumentations often store prompts) as that JSON; other text as it is. */
function unfold(value: unknown, mimeType?: unknown): unknown {
  if (typeof value !== "string") return value;
  const t = value.trimStart();
  const looksJson = mimeType === "application/json" || (mimeType === undefined && (t.startsWith("{") || t.startsWith("[")));
  if (!looksJson) return value;
  try {
    const parsed: unknown = JSON.parse(value);
    // Parsed text may hold \u0000 escapes and any depth: checked and cleaned like ingested JSON.
    return jsonDepth(parsed) <= MAX_PARSED_DEPTH ? sanitize(parsed) : value;
  } catch {
    return value;
  }
}

/** `prefix.<i>.<field>` attributes as a list of objects (`message.` dropped from OpenInference fields). */
function indexedList(attrs: Record<string, unknown>, prefix: string, used: Set<string>): unknown[] | undefined {
  const items: Record<string, unknown>[] = [];
  const lead = `${prefix}.`;
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith(lead)) continue;
    const match = /^(\d{1,4})\.(.+)$/.exec(key.slice(lead.length));
    if (!match?.[1] || !match[2]) continue;
    const index = Number(match[1]);
    const field = match[2].startsWith("message.") ? match[2].slice("message.".length) : match[2];
    items[index] ??= {};
    Object.defineProperty(items[index], field, { value: field === "content" ? unfold(value) : value, enumerable: true, writable: true, configurable: true });
    used.add(key);
  }
  const list = Array.from(items, (item) => item ?? {});
  return list.length > 0 ? list : undefined;
}

/** `side`: "input" or "output", whose OpenInference `<side>.value` may come with a `<side>.mime_type`. */
function fromKeys(attrs: Record<string, unknown>, keys: string[], lists: string[], used: Set<string>, side: "input" | "output"): unknown {
  for (const k of keys) {
    if (!Object.hasOwn(attrs, k) || attrs[k] === null || attrs[k] === "") continue;
    used.add(k);
    const mimeKey = `${side}.mime_type`;
    if (k === `${side}.value` && Object.hasOwn(attrs, mimeKey)) {
      used.add(mimeKey);
      return unfold(attrs[k], attrs[mimeKey]);
    }
    return unfold(attrs[k]);
  }
  for (const prefix of lists) {
    const list = indexedList(attrs, prefix, used);
    if (list) return list;
  }
  return undefined;
}

/** Messages from span events: each event's attributes, with its name as `event` when no role says who spoke. */
function fromEvents(span: OtlpSpan, names: Set<string>, used: Set<number>): unknown[] | undefined {
  const messages: unknown[] = [];
  span.events.forEach((e, i) => {
    if (!names.has(e.name)) return;
    used.add(i);
    const attrs = e.attributes;
    // gen_ai.content.prompt / completion carry the whole text in one attribute.
    const whole = attrs["gen_ai.prompt"] ?? attrs["gen_ai.completion"];
    if (whole !== undefined) messages.push(unfold(whole));
    else messages.push({ ...(Object.hasOwn(attrs, "role") ? {} : { event: e.name }), ...attrs });
  });
  return messages.length > 0 ? messages : undefined;
}

export function readGenAi(span: OtlpSpan): GenAi {
  const attrs = span.attributes;
  const usedKeys = new Set<string>();
  const usedEvents = new Set<number>();
  const inputTokens = firstAmount(attrs, INPUT_TOKENS, usedKeys);
  const outputTokens = firstAmount(attrs, OUTPUT_TOKENS, usedKeys);
  const costUsd = firstAmount(attrs, COST, usedKeys);
  const usage =
    inputTokens === undefined && outputTokens === undefined && costUsd === undefined
      ? null
      : {
          ...(inputTokens !== undefined ? { inputTokens } : {}),
          ...(outputTokens !== undefined ? { outputTokens } : {}),
          ...(costUsd !== undefined ? { costUsd } : {}),
        };
  const input = fromKeys(attrs, INPUT_KEYS, INPUT_LISTS, usedKeys, "input") ?? fromEvents(span, INPUT_EVENTS, usedEvents);
  const output = fromKeys(attrs, OUTPUT_KEYS, OUTPUT_LISTS, usedKeys, "output") ?? fromEvents(span, OUTPUT_EVENTS, usedEvents);
  return { usage, input, output, usedKeys, usedEvents };
}
