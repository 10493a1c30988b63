import { gzipSync } from "node:zlib";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { testStoreKinds } from "@runtrail/db/testing";
import { describe, expect, it } from "vitest";
import { DashboardClient } from "./dashboard";
import { normalise, useServer } from "./harness";
import { captureAgentTrace, otlpExporter, recordAgentTrace, recordingExporter, tracerProvider } from "./otel-sdk";
import { decodeStatus, encodeRequest, jsonSpan, postOtlp } from "./otlp-wire";

/**
 * OTLP/HTTP trace ingest over real HTTP, fed by the real OpenTelemetry JS SDK and both
 * of its OTLP/HTTP exporters: the trace reads back as a run (API and run page), in any
 * order and any number of times; hostile bodies get clear answers and cost nothing else.
 */

const OTLP_CAP = 2 * 1024 * 1024;

for (const kind of await testStoreKinds()) {
  describe(`OTLP trace ingest on ${kind.name}`, () => {
    const api = useServer(kind, { RUNTRAIL_OTLP_MAX_BODY_BYTES: String(OTLP_CAP) });

    async function projectWithKey(name: string): Promise<string> {
      const web = new DashboardClient(api.url);
      await web.loadCsrf();
      const made = await web.send("/manage/projects", { name });
      expect(made.status, made.text).toBe(201);
      const key = await web.send("/manage/keys", { projectId: made.body.project.id, name: "otlp" });
      expect(key.status, key.text).toBe(201);
      return key.body.key as string;
    }

    for (const exporterKind of ["protobuf", "json"] as const) {
      it(`the SDK's ${exporterKind} exporter sends a trace that reads back as a run with its tree, statuses, usage and errors`, async () => {
        const exporter = recordingExporter(otlpExporter(exporterKind, api.url, api.apiKey, exporterKind === "protobuf"));
        const provider = tracerProvider(exporter);
        const t0 = Date.now() - 60_000;
        const { traceId, ids } = recordAgentTrace(provider, t0);
        await provider.forceFlush();
        await provider.shutdown();
        expect(exporter.failures).toEqual([]);
        expect(exporter.exported).toBe(5);

        const { run, tasks } = await api.getRun(traceId);
        expect(run).toMatchObject({
          id: traceId,
          name: "agent",
          status: "failed",
          errorMessage: "gave up after the tool failed",
          tags: ["otlp"],
          input: { question: "refund order 42?" },
          startedAt: new Date(t0).toISOString(),
          endedAt: new Date(t0 + 80).toISOString(),
          durationMs: 80,
          usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0042 },
          taskCounts: { total: 5, running: 0, completed: 3, failed: 2, skipped: 0, cancelled: 0 },
        });
        expect(run.metadata).toMatchObject({ "service.name": "checkout-agent", "deployment.environment": "test" });
        expect(tasks.map((t) => [t.id, t.name, t.status, t.parentTaskId])).toEqual([
          [ids.agent, "agent", "failed", null],
          [ids.plan, "plan", "completed", ids.agent],
          [ids.llm, "chat gpt-4o", "completed", ids.agent],
          [ids.tool, "refund tool", "failed", ids.llm],
          [ids.retry, "retry", "completed", ids.agent],
        ]);
        const byName = Object.fromEntries(tasks.map((t) => [t.name, t]));
        expect(byName["chat gpt-4o"]).toMatchObject({
          input: [{ role: "user", content: "Refund order 42?" }],
          output: [{ role: "assistant", content: "Calling the refund tool." }],
          usage: { inputTokens: 120, outputTokens: 30, costUsd: 0.0042 },
          startedAt: new Date(t0 + 20).toISOString(),
          durationMs: 30,
        });
        expect(byName["refund tool"]).toMatchObject({ errorMessage: "Connection refused" });
        expect(byName["refund tool"].errorStack).toContain("at refund (tools.ts:12:7)");
        expect(byName.retry).toMatchObject({ input: "try again", output: "still down", usage: null });

        // Span events are log lines; exceptions at level error.
        const logs = await api.call(`/api/v1/runs/${traceId}/logs`);
        expect(logs.body.data.map((l: { taskId: string; level: string; message: string }) => [l.taskId, l.level, l.message])).toEqual([
          [ids.plan, "info", "plan ready"],
          [ids.tool, "error", "exception: Error: Connection refused"],
          [ids.agent, "error", "exception: Error: gave up after the tool failed"],
        ]);
        expect(logs.body.data[0].attributes).toEqual({ steps: 2 });

        // The run page: the OTLP marker, and the span's attributes in the task panel's data.
        const page = await fetch(`${api.url}/runs/${traceId}`);
        const html = await page.text();
        expect(page.status).toBe(200);
        expect(html).toContain('data-testid="otlp-marker"');
        expect(html).toContain("checkout-agent");
        const panel = await fetch(`${api.url}/runs/${traceId}/tasks/${ids.llm}`).then((r) => r.json());
        expect(panel.task).toMatchObject({ id: ids.llm, name: "chat gpt-4o", usage: { inputTokens: 120 } });
        expect(panel.attributes).toMatchObject({
          "gen_ai.request.model": "gpt-4o",
          "gen_ai.response.model": "gpt-4o-2024-08-06",
          "gen_ai.operation.name": "chat",
          "service.name": "checkout-agent",
          "otel.scope.name": "runtrail-test",
          "otel.scope.version": "1.2.3",
          "otel.span.kind": "client",
        });
        // What became usage, input and output is not repeated as attributes.
        expect(Object.keys(panel.attributes).filter((k) => k.startsWith("gen_ai.usage") || k.startsWith("gen_ai.prompt") || k.startsWith("gen_ai.completion"))).toEqual([]);
        expect((await fetch(`${api.url}/runs/${traceId}/tasks/${ids.plan}`).then((r) => r.json())).attributes).toMatchObject({ "plan.steps": 2 });
      });
    }

    it("spans sent one by one in reverse order, then all again twice, make the same run as one request in order", async () => {
      const { trace, spans } = captureAgentTrace();
      const inOrder = await postOtlp(api.url, api.apiKey, "protobuf", ProtobufTraceSerializer.serializeRequest(spans));
      expect(inOrder.status).toBe(200);
      // The same trace in another project: same trace id, stored separately.
      const otherKey = await projectWithKey(`OTLP order ${Date.now()}`);
      for (const span of [...spans].reverse()) {
        const r = await postOtlp(api.url, otherKey, "protobuf", ProtobufTraceSerializer.serializeRequest([span]));
        expect(r.status).toBe(200);
      }
      expect((await postOtlp(api.url, otherKey, "protobuf", ProtobufTraceSerializer.serializeRequest(spans))).status).toBe(200);
      expect((await postOtlp(api.url, otherKey, "json", JsonTraceSerializer.serializeRequest(spans))).status).toBe(200);

      const get = async (key: string) => {
        const r = await api.call(`/api/v1/runs/${trace.traceId}`, { auth: `Bearer ${key}` });
        expect(r.status).toBe(200);
        const logs = await api.call(`/api/v1/runs/${trace.traceId}/logs`, { auth: `Bearer ${key}` });
        return { run: r.body, logs: logs.body.data.map((l: { id: string; seq: number; message: string }) => [l.id, l.seq, l.message]) };
      };
      const a = await get(api.apiKey);
      const b = await get(otherKey);
      expect(a.run.run.status).toBe("failed");
      expect(normalise(b.run, trace.traceId)).toEqual(normalise(a.run, trace.traceId));
      expect(b.logs).toEqual(a.logs);
      expect(b.run.run.taskCounts.total).toBe(5);
    });

    it("a span whose parent is remote names and ends the run until the trace's own root arrives, which then wins", async () => {
      const traceId = "5b8efff798038103d269b633813fc60c";
      const base = BigInt(Date.now() - 30_000) * 1_000_000n;
      const ms = (n: number) => String(base + BigInt(n) * 1_000_000n);
      // A server span continuing a trace from elsewhere (flags: parent known to be remote).
      const server = jsonSpan({ traceId, spanId: "00f067aa0ba902b7", parentSpanId: "1111111111111111", name: "POST /refund", start: ms(10), end: ms(20), flags: 0x301 });
      expect((await postOtlp(api.url, api.apiKey, "json", { resourceSpans: [{ scopeSpans: [{ spans: [server] }] }] })).status).toBe(200);
      const before = (await api.getRun(traceId)).run;
      expect(before).toMatchObject({ name: "POST /refund", status: "completed", durationMs: 10 });

      const root = jsonSpan({ traceId, spanId: "1111111111111111", name: "checkout", start: ms(0), end: ms(40), status: { code: 2, message: "payment declined" } });
      expect((await postOtlp(api.url, api.apiKey, "json", { resourceSpans: [{ scopeSpans: [{ spans: [root] }] }] })).status).toBe(200);
      const { run, tasks } = await api.getRun(traceId);
      expect(run).toMatchObject({ name: "checkout", status: "failed", errorMessage: "payment declined", durationMs: 40 });
      expect(tasks.map((t) => [t.name, t.parentTaskId])).toEqual([
        ["checkout", null],
        ["POST /refund", "1111111111111111"],
      ]);
    });

    it("answers bad bodies with OTLP Status errors: garbage protobuf, wrong JSON, bad types and encodings, no key, too large", async () => {
      const garbage = await postOtlp(api.url, api.apiKey, "protobuf", Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
      expect(garbage.status).toBe(400);
      expect(garbage.headers.get("content-type")).toBe("application/x-protobuf");
      expect(decodeStatus(garbage.bytes).message).toMatch(/^body: not an OTLP ExportTraceServiceRequest in protobuf/);

      const cases: [object | string, RegExp][] = [
        ["{not json", /^body: not valid JSON/],
        [[1, 2], /^body: must be an ExportTraceServiceRequest object/],
        [{ resourceSpans: "everything" }, /^body\.resourceSpans: must be a list/],
        [{ resourceSpans: [{ scopeSpans: [{ spans: [7] }] }] }, /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]: must be an object/],
        [{ resourceSpans: [{ resource: "r", scopeSpans: [] }] }, /^resourceSpans\[0\]\.resource: must be an object/],
      ];
      for (const [body, message] of cases) {
        const r = await postOtlp(api.url, api.apiKey, "json", typeof body === "string" ? Buffer.from(body) : body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.json.message).toMatch(message);
        expect(r.json.code).toBe(3);
      }

      const noKey = await postOtlp(api.url, null, "json", { resourceSpans: [] });
      expect(noKey.status).toBe(401);
      expect(noKey.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(noKey.json.message).toMatch(/Authorization: Bearer/);
      const wrongType = await postOtlp(api.url, api.apiKey, "json", { resourceSpans: [] }, { "content-type": "text/plain" });
      expect(wrongType.status).toBe(415);
      const brotli = await postOtlp(api.url, api.apiKey, "json", { resourceSpans: [] }, { "content-encoding": "br" });
      expect(brotli.status).toBe(415);
      const notGzip = await postOtlp(api.url, api.apiKey, "json", Buffer.from("{}"), { "content-encoding": "gzip" });
      expect(notGzip.status).toBe(400);
      expect(notGzip.json.message).toMatch(/not valid gzip/);

      // Too large as sent, and a small gzip that inflates past the cap.
      const big = await postOtlp(api.url, api.apiKey, "json", Buffer.alloc(OTLP_CAP + 1, 0x20));
      expect(big.status).toBe(413);
      expect(big.json.message).toMatch(/RUNTRAIL_OTLP_MAX_BODY_BYTES/);
      const bomb = gzipSync(Buffer.alloc(OTLP_CAP * 4, 0x20));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const inflated = await postOtlp(api.url, api.apiKey, "json", bomb, { "content-encoding": "gzip" });
      expect(inflated.status).toBe(413);
      expect(inflated.json.message).toMatch(/once un-gzipped/);
      // A large export under the cap is taken whole, gzipped.
      const many = Array.from({ length: 300 }, (_, i) =>
        jsonSpan({ traceId: "7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a", spanId: (i + 1).toString(16).padStart(16, "0"), parentSpanId: i === 0 ? undefined : "0000000000000001", name: `step ${i}`, start: String(1_700_000_000_000_000_000n + BigInt(i)), end: String(1_700_000_000_100_000_000n), attributes: [{ key: "blob", value: { stringValue: "x".repeat(2000) } }] }),
      );
      const gz = await postOtlp(api.url, api.apiKey, "json", gzipSync(JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: many }] }] })), { "content-encoding": "gzip" });
      expect(gz.status).toBe(200);
      expect(gz.json).toEqual({});
      expect((await api.getRun("7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a7a")).run.taskCounts.total).toBe(300);
    });

    it("rejects broken spans one by one with a reason, keeps their neighbours, and cuts huge values with a warning", async () => {
      const traceId = "0af7651916cd43dd8448eb211c80319c";
      const start = String(BigInt(Date.now() - 5_000) * 1_000_000n);
      const end = String(BigInt(Date.now() - 4_000) * 1_000_000n);
      const good = jsonSpan({ traceId, spanId: "b7ad6b7169203331", name: "good", start, end });
      const huge = jsonSpan({ traceId, spanId: "b7ad6b7169203332", parentSpanId: "b7ad6b7169203331", name: "huge", start, end, attributes: [{ key: "document", value: { stringValue: "y".repeat(300 * 1024) } }] });
      const spans = [
        good,
        { ...good, spanId: "b7ad6b71692033" },
        { ...good, traceId: "AAECAwQFBgcICQoLDA0ODw==" },
        { ...good, spanId: "0000000000000000" },
        { ...good, spanId: "b7ad6b7169203339", startTimeUnixNano: "soon" },
        { ...good, spanId: "b7ad6b716920333a", name: 12 },
        { ...good, spanId: "b7ad6b716920333b", attributes: "all of them" },
        huge,
      ];
      const r = await postOtlp(api.url, api.apiKey, "json", { resourceSpans: [{ scopeSpans: [{ spans }] }] });
      expect(r.status).toBe(200);
      expect(r.json.partialSuccess.rejectedSpans).toBe("6");
      const message: string = r.json.partialSuccess.errorMessage;
      for (const why of [
        "resourceSpans[0].scopeSpans[0].spans[1].spanId: must be 16 hex characters",
        "spans[2].traceId: must be 32 hex characters (OTLP/JSON writes ids in hex, not base64)",
        "spans[3].spanId: all zeros is not a valid id",
        "spans[4].startTimeUnixNano: must be nanoseconds since the Unix epoch",
        "and 1 more",
        "span b7ad6b7169203332.document: over 262144 characters, replaced by a $truncated marker",
      ]) {
        expect(message).toContain(why);
      }
      const { tasks } = await api.getRun(traceId);
      expect(tasks.map((t) => t.name)).toEqual(["good", "huge"]);
      const attrs = (await fetch(`${api.url}/runs/${traceId}/tasks/b7ad6b7169203332`).then((res) => res.json())).attributes;
      expect(attrs.document).toMatchObject({ $truncated: true, originalBytes: 300 * 1024 + 2 });

      // Protobuf with ids of the wrong length: rejected per span, the neighbour kept.
      const bytes = encodeRequest([
        { traceId: Buffer.alloc(15, 1), spanId: Buffer.alloc(8, 2), name: "short trace id", startTimeUnixNano: 1_700_000_000_000_000_000 },
        { traceId: Buffer.alloc(16, 1), spanId: Buffer.alloc(8, 3), name: "fine", startTimeUnixNano: 1_700_000_000_000_000_000, endTimeUnixNano: 1_700_000_000_500_000_000 },
      ]);
      const p = await postOtlp(api.url, api.apiKey, "protobuf", bytes);
      expect(p.status).toBe(200);
      expect(p.partial).toMatchObject({ rejectedSpans: 1 });
      expect(p.partial?.errorMessage).toContain("spans[0].traceId: 15 bytes; must be 16");
      expect((await api.getRun("01".repeat(16))).tasks.map((t) => t.name)).toEqual(["fine"]);
    });
  });
}
