import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Runtrail } from "@runtrail/sdk";

const [url, key] = process.argv.slice(2);
const client = new Runtrail({ baseUrl: url, apiKey: key });
const run = await client.startRun({ name: "report", tags: ["pdf"], input: { file: "report.pdf" } });
const t = await run.startTask("parse-pdf");
await t.complete({ output: { pages: 3 } });
await run.complete();
await client.shutdown();

const provider = new BasicTracerProvider({
  resource: resourceFromAttributes({ "service.name": "support-agent", "deployment.environment": "staging" }),
  spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${url}/api/otlp/v1/traces`, headers: { Authorization: `Bearer ${key}` } }))],
});
const tracer = provider.getTracer("ai", "4.2.0");
const t0 = Date.now() - 5000;
const at = (ms) => new Date(t0 + ms);
const child = (s) => trace.setSpan(context.active(), s);
const root = tracer.startSpan("refund agent", { startTime: at(0), attributes: { "input.value": '{"ticket":"T-1042","ask":"refund order 42"}', "input.mime_type": "application/json" } });
const plan = tracer.startSpan("plan", { startTime: at(40) }, child(root));
plan.end(at(180));
const llm = tracer.startSpan("chat gpt-4o", { startTime: at(200), kind: SpanKind.CLIENT, attributes: {
  "gen_ai.system": "openai", "gen_ai.operation.name": "chat", "gen_ai.request.model": "gpt-4o", "gen_ai.response.model": "gpt-4o-2024-08-06",
  "gen_ai.request.temperature": 0.2, "gen_ai.usage.input_tokens": 1240, "gen_ai.usage.output_tokens": 212, "gen_ai.usage.cost": 0.0052,
  "gen_ai.prompt.0.role": "system", "gen_ai.prompt.0.content": "You are a support agent. Use tools to act.",
  "gen_ai.prompt.1.role": "user", "gen_ai.prompt.1.content": "Refund order 42, the parcel never arrived.",
  "gen_ai.completion.0.role": "assistant", "gen_ai.completion.0.content": "I will issue the refund with the refund tool.",
  "gen_ai.response.finish_reasons": ["tool_calls"], "http.url": "https://api.openai.com/v1/chat/completions" } }, child(root));
llm.addEvent("retry", { attempt: 2 }, at(600));
llm.end(at(1450));
const tool = tracer.startSpan("refund tool", { startTime: at(1500), attributes: { "tool.name": "refund", "order.id": 42 } }, child(root));
const e = new Error("payments API: 503 Service Unavailable");
e.stack = "Error: payments API: 503 Service Unavailable\n    at refund (tools/refund.ts:31:11)\n    at runTool (agent.ts:88:5)";
tool.recordException(e, at(2100));
tool.setStatus({ code: SpanStatusCode.ERROR });
tool.end(at(2110));
const reply = tracer.startSpan("reply", { startTime: at(2200), attributes: { "output.value": "Sorry, refunds are down; a human will follow up." } }, child(root));
reply.end(at(2400));
root.setStatus({ code: SpanStatusCode.ERROR, message: "refund failed" });
root.end(at(2450));
await provider.shutdown();
console.log(JSON.stringify({ traceId: root.spanContext().traceId, llm: llm.spanContext().spanId }));
