import { describe, expect, it } from "vitest";
import { readGenAi } from "./gen-ai";
import type { OtlpSpan } from "./model";

function span(attributes: Record<string, unknown>, events: OtlpSpan["events"] = []): OtlpSpan {
  return {
    traceId: "1".repeat(32),
    spanId: "2".repeat(16),
    parentSpanId: null,
    parentIsRemote: false,
    name: "llm",
    kind: 3,
    startNs: 1n,
    endNs: 2n,
    attributes,
    events,
    statusCode: 0,
    statusMessage: "",
    traceState: "",
    links: 0,
    dropped: { attributes: 0, events: 0, links: 0 },
  };
}

describe("readGenAi", () => {
  it("reads usage from the current, older and OpenInference names, current first", () => {
    expect(readGenAi(span({ "gen_ai.usage.input_tokens": 10, "gen_ai.usage.prompt_tokens": 99, "gen_ai.usage.output_tokens": 4 })).usage).toEqual({ inputTokens: 10, outputTokens: 4 });
    expect(readGenAi(span({ "gen_ai.usage.prompt_tokens": 7, "gen_ai.usage.completion_tokens": "3" })).usage).toEqual({ inputTokens: 7, outputTokens: 3 });
    const oi = readGenAi(span({ "llm.token_count.prompt": 5, "llm.token_count.completion": 6, "llm.cost.total": 0.01 }));
    expect(oi.usage).toEqual({ inputTokens: 5, outputTokens: 6, costUsd: 0.01 });
    expect([...oi.usedKeys].sort()).toEqual(["llm.cost.total", "llm.token_count.completion", "llm.token_count.prompt"]);
    expect(readGenAi(span({ "gen_ai.usage.input_tokens": -1, "gen_ai.usage.output_tokens": "lots" })).usage).toBeNull();
  });

  it("reads input and output from OpenInference values, JSON when their mime type says so", () => {
    const g = readGenAi(span({ "input.value": '{"q":1}', "input.mime_type": "application/json", "output.value": "[not json", "other.key": 1 }));
    expect(g.input).toEqual({ q: 1 });
    expect(g.output).toBe("[not json");
    expect(g.usedKeys).toEqual(new Set(["input.value", "input.mime_type", "output.value"]));
    expect(readGenAi(span({ "input.value": '{"q":1}', "input.mime_type": "text/plain" })).input).toBe('{"q":1}');
  });

  it("gathers indexed messages (OpenLLMetry, OpenInference) and the newer message attributes", () => {
    const g = readGenAi(
      span({
        "gen_ai.prompt.1.content": "second",
        "gen_ai.prompt.0.role": "system",
        "gen_ai.prompt.0.content": "first",
        "gen_ai.prompt.1.role": "user",
        "llm.output_messages.0.message.role": "assistant",
        "llm.output_messages.0.message.content": '{"answer":42}',
      }),
    );
    expect(g.input).toEqual([
      { role: "system", content: "first" },
      { content: "second", role: "user" },
    ]);
    expect(g.output).toEqual([{ role: "assistant", content: { answer: 42 } }]);
    expect(readGenAi(span({ "gen_ai.input.messages": '[{"role":"user","parts":[]}]' })).input).toEqual([{ role: "user", parts: [] }]);
  });

  it("takes messages from GenAI span events and marks those events used", () => {
    const g = readGenAi(
      span({}, [
        { timeNs: 1n, name: "gen_ai.user.message", attributes: { content: "hi" } },
        { timeNs: 1n, name: "other", attributes: {} },
        { timeNs: 2n, name: "gen_ai.choice", attributes: { index: 0, message: { role: "assistant", content: "hello" } } },
      ]),
    );
    expect(g.input).toEqual([{ event: "gen_ai.user.message", content: "hi" }]);
    expect(g.output).toEqual([{ event: "gen_ai.choice", index: 0, message: { role: "assistant", content: "hello" } }]);
    expect(g.usedEvents).toEqual(new Set([0, 2]));
  });

  it("cleans what JSON text unfolds into and leaves too deep JSON as text", () => {
    expect(readGenAi(span({ "gen_ai.prompt": '{"a":"x\\u0000y"}' })).input).toEqual({ a: "x\uFFFDy" });
    const deep = `${"[".repeat(60)}${"]".repeat(60)}`;
    expect(readGenAi(span({ "gen_ai.prompt": deep })).input).toBe(deep);
  });
});
