import { type Context, context, type Span, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter as HttpJsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type SpanExporter } from "@opentelemetry/sdk-trace-base";

/**
 * The real OpenTelemetry JS SDK for the OTLP tests: a tracer provider whose spans go to
 * a Runtrail server through one of the two official OTLP/HTTP exporters, and the
 * agent-shaped trace the tests send (nested spans, GenAI usage, an error).
 */

export type ExporterKind = "protobuf" | "json";

export function otlpExporter(kind: ExporterKind, baseUrl: string, apiKey: string, gzip = false): SpanExporter {
  const options = {
    url: `${baseUrl}/api/otlp/v1/traces`,
    headers: { Authorization: `Bearer ${apiKey}` },
    ...(gzip ? { compression: CompressionAlgorithm.GZIP } : {}),
  };
  return kind === "protobuf" ? new ProtobufExporter(options) : new HttpJsonExporter(options);
}

/** Wraps an exporter and keeps each export's outcome: an exporter reports failures only to OTel's logger. */
export function recordingExporter(inner: SpanExporter): SpanExporter & { failures: string[]; exported: number } {
  const failures: string[] = [];
  const wrapper = {
    failures,
    exported: 0,
    export(spans: ReadableSpan[], done: (result: { code: number; error?: Error }) => void) {
      inner.export(spans, (result) => {
        if (result.code === 0) wrapper.exported += spans.length;
        else failures.push(String(result.error ?? `code ${result.code}`));
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
  return wrapper;
}

export function tracerProvider(exporter: SpanExporter, service = "checkout-agent"): BasicTracerProvider {
  return new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": service, "deployment.environment": "test" }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
}

/** The spans a test expects, by name, with the ids the SDK gave them. */
export interface AgentTrace {
  traceId: string;
  ids: Record<"agent" | "plan" | "llm" | "tool" | "retry", string>;
}

const child = (parent: Span): Context => trace.setSpan(context.active(), parent);

/**
 * agent (root, fails: "gave up after the tool failed")
 * ├─ plan (ok, an event)
 * ├─ llm (GenAI chat: model, prompt, completion, 120 + 30 tokens, cost)
 * │  └─ tool (fails with an exception)
 * └─ retry (ok, OpenInference input/output)
 * Every time is explicit, so the test knows the timeline.
 */
export function recordAgentTrace(provider: BasicTracerProvider, t0 = Date.now() - 10_000): AgentTrace {
  const tracer = provider.getTracer("runtrail-test", "1.2.3");
  const at = (ms: number) => new Date(t0 + ms);
  const agent = tracer.startSpan("agent", { startTime: at(0), attributes: { "input.value": '{"question":"refund order 42?"}', "input.mime_type": "application/json" } });
  const plan = tracer.startSpan("plan", { startTime: at(5), attributes: { "plan.steps": 2 } }, child(agent));
  plan.addEvent("plan ready", { steps: 2 }, at(8));
  plan.end(at(10));
  const llm = tracer.startSpan(
    "chat gpt-4o",
    {
      startTime: at(20),
      kind: SpanKind.CLIENT,
      attributes: {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": "gpt-4o",
        "gen_ai.response.model": "gpt-4o-2024-08-06",
        "gen_ai.usage.input_tokens": 120,
        "gen_ai.usage.output_tokens": 30,
        "gen_ai.usage.cost": 0.0042,
        "gen_ai.prompt.0.role": "user",
        "gen_ai.prompt.0.content": "Refund order 42?",
        "gen_ai.completion.0.role": "assistant",
        "gen_ai.completion.0.content": "Calling the refund tool.",
      },
    },
    child(agent),
  );
  const tool = tracer.startSpan("refund tool", { startTime: at(30), attributes: { "tool.name": "refund" } }, child(llm));
  const boom = new Error("Connection refused");
  boom.stack = "Error: Connection refused\n    at refund (tools.ts:12:7)";
  tool.recordException(boom, at(40));
  tool.setStatus({ code: SpanStatusCode.ERROR, message: "refund failed" });
  tool.end(at(41));
  llm.end(at(50));
  const retry = tracer.startSpan("retry", { startTime: at(60), attributes: { "input.value": "try again", "output.value": "still down" } }, child(agent));
  retry.end(at(70));
  agent.recordException(new Error("gave up after the tool failed"), at(79));
  agent.setStatus({ code: SpanStatusCode.ERROR });
  agent.end(at(80));
  return {
    traceId: agent.spanContext().traceId,
    ids: {
      agent: agent.spanContext().spanId,
      plan: plan.spanContext().spanId,
      llm: llm.spanContext().spanId,
      tool: tool.spanContext().spanId,
      retry: retry.spanContext().spanId,
    },
  };
}

/** The agent trace's spans as the SDK hands them to an exporter, without sending them. */
export function captureAgentTrace(): { trace: AgentTrace; spans: ReadableSpan[] } {
  const memory = new InMemorySpanExporter();
  const provider = tracerProvider(memory);
  const recorded = recordAgentTrace(provider);
  return { trace: recorded, spans: memory.getFinishedSpans() };
}
