/**
 * OTLP ingest throughput: spans per second through POST /api/otlp/v1/traces (protobuf,
 * as the OTel exporters send it) as a ratio to our own ingest (POST /api/v1/ingest,
 * JSON, as the SDK sends it) of the same tasks, on the same server, in the same run.
 *
 * Each round is BENCH_TRACES traces of BENCH_SPANS spans (a root, then children and
 * grandchildren; every tenth an LLM call with GenAI usage, a few failing with an
 * exception), made by the real OpenTelemetry SDK. The OTLP side sends the SDK's spans
 * serialised by @opentelemetry/otlp-transformer, 400 spans a request; our side sends the
 * same tasks as wire events (run.start/complete per trace, task.start/complete or fail
 * per span, the span's attributes as the task's input, usage on the end), 400 tasks a
 * request. Requests go CONCURRENCY at a time. Bodies are built before the clock starts.
 * Rounds alternate (ours, OTLP, ours, …) with fresh ids, and the ratio is the median of
 * paired rounds, so load that drifts during the run cancels out. Afterwards every run of
 * the last round is read back and checked.
 *
 * Store: BENCH_DATABASE_URL (a throwaway database on that server) or DATABASE_URL, else
 * PGlite (see local-server.mjs). Needs `npm run build`.
 */
import { SpanKind, SpanStatusCode, context, trace } from "@opentelemetry/api";
import { ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { startLocalServer, stopAllServers, webIsBuilt } from "./local-server.mjs";

const TRACES = Number(process.env.BENCH_TRACES ?? 20);
const SPANS = Number(process.env.BENCH_SPANS ?? 250);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_REQUEST = 400;
const CONCURRENCY = 2;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One round's traces, recorded by the OpenTelemetry SDK. */
function recordRound(round) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": "bench-agent", "service.version": "1.0.0" }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer("bench", "1.0.0");
  const t0 = Date.now() - 3_600_000 + round * 1000;
  for (let t = 0; t < TRACES; t++) {
    const start = t0 + t * 10;
    const root = tracer.startSpan(`agent run ${t}`, { startTime: start, attributes: { "input.value": `question ${t}`, "app.round": round } });
    const rootCtx = trace.setSpan(context.active(), root);
    let parentCtx = rootCtx;
    let open = [];
    for (let s = 1; s < SPANS; s++) {
      const llm = s % 10 === 0;
      const attributes = llm
        ? { "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 100 + s, "gen_ai.usage.output_tokens": 20, "gen_ai.prompt.0.content": `step ${s} prompt` }
        : { "http.method": "GET", "http.route": "/api/items/:id", "db.system": "postgresql", "app.step": s };
      // Every fifth span opens a group the next four sit in.
      const span = tracer.startSpan(llm ? "chat gpt-4o" : `step ${s % 50}`, { startTime: start + s, kind: llm ? SpanKind.CLIENT : SpanKind.INTERNAL, attributes }, parentCtx);
      if (s % 37 === 0) {
        span.recordException(new Error(`step ${s} failed`), start + s + 1);
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      if (s % 5 === 0) {
        for (const o of open) o.end(start + s);
        open = [span];
        parentCtx = trace.setSpan(rootCtx, span);
      } else span.end(start + s + 1);
    }
    for (const o of open) o.end(start + SPANS);
    root.end(start + SPANS + 1);
  }
  return memory.getFinishedSpans();
}

const hex = (id) => id;
const iso = (hr) => new Date(hr[0] * 1000 + Math.floor(hr[1] / 1e6)).toISOString();
const micros = (hr) => hr[0] * 1_000_000 + Math.floor(hr[1] / 1000);

/** The same spans as our own wire events: what an SDK user recording the same tasks sends. */
function asEvents(spans) {
  const events = [];
  for (const s of spans) {
    const runId = hex(s.spanContext().traceId);
    const taskId = hex(s.spanContext().spanId);
    const parent = s.parentSpanContext?.spanId;
    const a = s.attributes;
    const usage = a["gen_ai.usage.input_tokens"] !== undefined ? { inputTokens: a["gen_ai.usage.input_tokens"], outputTokens: a["gen_ai.usage.output_tokens"] } : undefined;
    const failed = s.status.code === SpanStatusCode.ERROR;
    events.push({ id: `${taskId}:start`, runId, seq: micros(s.startTime), ts: iso(s.startTime), type: "task.start", taskId, name: s.name, input: a, ...(parent ? { parentTaskId: parent } : {}) });
    events.push({
      id: `${taskId}:end`,
      runId,
      seq: micros(s.endTime),
      ts: iso(s.endTime),
      type: failed ? "task.fail" : "task.complete",
      taskId,
      ...(failed ? { errorMessage: s.events[0]?.attributes?.["exception.message"] ?? "failed" } : {}),
      ...(usage ? { usage } : {}),
    });
    if (!parent) {
      events.push({ id: `${taskId}:run-start`, runId, seq: micros(s.startTime), ts: iso(s.startTime), type: "run.start", name: s.name, tags: ["bench"] });
      events.push({ id: `${taskId}:run-end`, runId, seq: micros(s.endTime), ts: iso(s.endTime), type: "run.complete" });
    }
  }
  return events;
}

function chunks(items, size) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Both sides' request bodies for one round, built before any clock starts. */
function buildRound(round) {
  const spans = recordRound(round);
  const otlp = chunks(spans, PER_REQUEST).map((part) => Buffer.from(ProtobufTraceSerializer.serializeRequest(part)));
  const ours = chunks(spans, PER_REQUEST).map((part) => Buffer.from(JSON.stringify({ batch: asEvents(part) })));
  const runIds = [...new Set(spans.map((s) => s.spanContext().traceId))];
  return { spans: spans.length, otlp, ours, runIds };
}

async function send(server, bodies, path, type) {
  let next = 0;
  const worker = async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${server.apiKey}`, "content-type": type }, body });
      const reply = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`${path}: HTTP ${res.status} ${reply.toString("utf8").slice(0, 300)}`);
      // A protobuf answer with a partialSuccess is longer than an empty message: spans were refused.
      if (type === "application/x-protobuf" && reply.length > 0) throw new Error(`${path}: partial success ${reply.toString("utf8")}`);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (performance.now() - started) / 1000;
}

async function check(server, runIds) {
  const problems = [];
  for (const id of runIds) {
    const res = await fetch(`${server.url}/api/v1/runs/${id}?tasks=false`, { headers: { authorization: `Bearer ${server.apiKey}` } });
    const body = await res.json();
    if (res.status !== 200) problems.push(`${id}: HTTP ${res.status}`);
    else if (body.run.taskCounts.total !== SPANS || body.run.status !== "completed") problems.push(`${id}: ${body.run.status}, ${body.run.taskCounts.total} tasks`);
  }
  return problems;
}

async function main() {
  if (!webIsBuilt()) {
    console.log("bench:otlp needs the app built: run `npm run build` first.");
    process.exit(1);
  }
  console.log(`OTLP ingest vs our own ingest: ${TRACES} traces × ${SPANS} spans a round, ${PER_REQUEST} a request, ${CONCURRENCY} at a time, ${ROUNDS} rounds each`);
  const server = await startLocalServer();
  console.log(`  store: ${server.label}`);
  try {
    // Warm-up (JIT, connections, statements), then the measured rounds with fresh ids.
    const warm = buildRound(0);
    await send(server, warm.ours, "/api/v1/ingest?results=errors", "application/json");
    await send(server, buildRound(1).otlp, "/api/otlp/v1/traces", "application/x-protobuf");
    const ratios = [];
    const oursRates = [];
    const otlpRates = [];
    let last;
    for (let r = 0; r < ROUNDS; r++) {
      const a = buildRound(2 + 2 * r);
      const b = buildRound(3 + 2 * r);
      const oursS = await send(server, a.ours, "/api/v1/ingest?results=errors", "application/json");
      const otlpS = await send(server, b.otlp, "/api/otlp/v1/traces", "application/x-protobuf");
      const ours = a.spans / oursS;
      const otlp = b.spans / otlpS;
      oursRates.push(ours);
      otlpRates.push(otlp);
      ratios.push(otlp / ours);
      console.log(`  round ${r + 1}: ours ${Math.round(ours)} tasks/s, OTLP ${Math.round(otlp)} spans/s, ratio ${(otlp / ours).toFixed(2)}`);
      last = { a, b };
    }
    const problems = [...(await check(server, last.a.runIds)), ...(await check(server, last.b.runIds))];
    if (problems.length > 0) {
      console.log(`  INVALID: runs not stored whole:\n    ${problems.slice(0, 10).join("\n    ")}`);
      process.exitCode = 1;
    }
    console.log(`\n  ours (JSON wire events): ${Math.round(median(oursRates))} tasks/s median`);
    console.log(`  OTLP (protobuf spans):   ${Math.round(median(otlpRates))} spans/s median`);
    console.log(`  ratio OTLP / ours:       ${median(ratios).toFixed(2)} (median of paired rounds; 1.00 = as fast as our own ingest)`);
  } finally {
    await server.stop();
  }
}

process.on("SIGINT", () => void stopAllServers().then(() => process.exit(130)));
await main();
