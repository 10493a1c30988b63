/**
 * Part 1 of sdk-overhead: what recording costs the caller, side by side in one
 * process. Our SDK records a task (start + complete); OpenTelemetry records a
 * span (start + end) through a BatchSpanProcessor into a no-op exporter.
 *
 * Each is called the way user code calls it: our methods return promises and
 * are awaited; OTel's are synchronous. The OTel loop awaits once every 64
 * spans so its batch processor can run (its export bookkeeping settles in
 * microtasks), as it would between real units of work.
 */
import { GCProfiler } from "node:v8";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { Runtrail } from "@runtrail/sdk";
import { createFakeIngest } from "./fake-ingest.mjs";

const OTEL_YIELD_EVERY = 64;
/** ExportResultCode.SUCCESS of @opentelemetry/core (not a dependency of this package). */
const OTEL_EXPORT_SUCCESS = 0;
const gc = typeof globalThis.gc === "function" ? globalThis.gc : () => {};

function heapUsed() {
  return process.memoryUsage().heapUsed;
}

/**
 * Ours, with the in-process fake server. Queue limits are far above what one
 * round records, so nothing can be dropped even if delivery fell behind.
 */
function runtrailSide(opsPerRound) {
  const ingest = createFakeIngest();
  const client = new Runtrail({
    baseUrl: "http://127.0.0.1:9",
    apiKey: "rt_bench_0123456789abcdef0123456789abcdef",
    fetch: ingest.fetch,
    maxQueueSize: 4 * opsPerRound + 1000,
    maxQueueBytes: 1024 * 1024 * 1024,
  });
  let recorded = 0;

  return {
    ingest,
    /** Records `ops` tasks in one run; ns/op without the fake server's own time, and heap bytes/op. */
    async round(ops) {
      const run = await client.startRun({ name: "sdk-overhead" });
      const serverBefore = ingest.stats().serverNs;
      const heapBefore = heapUsed();
      const started = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) {
        const task = await run.startTask("parse-pdf", { file: "report.pdf", page: i });
        await task.complete({ output: { pages: 3, words: 1200 } });
      }
      const elapsed = process.hrtime.bigint() - started;
      const heapBytes = heapUsed() - heapBefore;
      const serverNs = ingest.stats().serverNs - serverBefore;
      await run.complete();
      recorded += 2 * ops + 2;
      await client.flush();
      return { nsPerOp: Number(elapsed - serverNs) / ops, heapPerOp: heapBytes / ops, serverNsPerOp: Number(serverNs) / ops };
    },
    async finish() {
      const report = await client.shutdown();
      return { recorded, report };
    },
  };
}

/** OTel's reference: BasicTracerProvider + BatchSpanProcessor + an exporter that only says "done". */
function otelSide(opsPerRound) {
  let exported = 0;
  const exporter = {
    export(spans, resultCallback) {
      exported += spans.length;
      resultCallback({ code: OTEL_EXPORT_SUCCESS });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  // A queue that holds a whole round, like ours: a full queue drops spans, which would flatter OTel.
  const processor = new BatchSpanProcessor(exporter, { maxQueueSize: 2 * opsPerRound, maxExportBatchSize: 512 });
  const provider = new BasicTracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer("sdk-overhead");
  let started = 0;

  return {
    async round(ops) {
      const heapBefore = heapUsed();
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < ops; i++) {
        const span = tracer.startSpan("parse-pdf", { attributes: { file: "report.pdf", page: i } });
        span.setAttributes({ pages: 3, words: 1200 });
        span.end();
        if (i % OTEL_YIELD_EVERY === OTEL_YIELD_EVERY - 1) await null;
      }
      const elapsed = process.hrtime.bigint() - t0;
      const heapBytes = heapUsed() - heapBefore;
      started += ops;
      await provider.forceFlush();
      return { nsPerOp: Number(elapsed) / ops, heapPerOp: heapBytes / ops, serverNsPerOp: 0 };
    },
    async finish() {
      await provider.shutdown();
      return { started, exported };
    },
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Heap bytes allocated per op over a small round in which no GC ran (checked
 * with GCProfiler); the median of a few such rounds, or undefined if every
 * attempt saw a GC.
 */
async function allocationPerOp(side, ops) {
  const samples = [];
  for (let attempt = 0; attempt < 12 && samples.length < 5; attempt++) {
    gc();
    const profiler = new GCProfiler();
    profiler.start();
    const { heapPerOp } = await side.round(ops);
    const { statistics } = profiler.stop();
    // The round's flush runs after its heap reading; only GCs up to that reading matter, but any GC voids the sample.
    if (statistics.length === 0) samples.push(heapPerOp);
  }
  return samples.length === 0 ? undefined : median(samples);
}

/**
 * Warms both up, then alternates timed rounds (ours, OTel, ours, …) with a GC
 * between rounds when `--expose-gc` is on; medians of ns/op, and the median of
 * the ratios of paired rounds.
 */
export async function measureRecording({ opsPerRound, rounds, warmupRounds, allocationOps }) {
  const ours = runtrailSide(opsPerRound);
  const otel = otelSide(opsPerRound);
  for (let i = 0; i < warmupRounds; i++) {
    await ours.round(opsPerRound);
    await otel.round(opsPerRound);
  }
  const oursRounds = [];
  const otelRounds = [];
  gc();
  const heapStart = heapUsed();
  for (let i = 0; i < rounds; i++) {
    gc();
    oursRounds.push(await ours.round(opsPerRound));
    gc();
    otelRounds.push(await otel.round(opsPerRound));
  }
  gc();
  const retainedBytes = heapUsed() - heapStart;
  const allocation = { ours: await allocationPerOp(ours, allocationOps), otel: await allocationPerOp(otel, allocationOps) };

  const oursDone = await ours.finish();
  const otelDone = await otel.finish();
  const nsOurs = oursRounds.map((r) => r.nsPerOp);
  const nsOtel = otelRounds.map((r) => r.nsPerOp);
  // Each of our rounds against the OTel round right after it: load that drifts over the run cancels out.
  const ratios = nsOurs.map((ns, i) => ns / nsOtel[i]);
  return {
    gcExposed: typeof globalThis.gc === "function",
    ratio: { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) },
    ours: {
      nsPerOp: median(nsOurs),
      min: Math.min(...nsOurs),
      max: Math.max(...nsOurs),
      serverNsPerOp: median(oursRounds.map((r) => r.serverNsPerOp)),
      allocationPerOp: allocation.ours,
      ...oursDone,
      answered: ours.ingest.stats(),
    },
    otel: {
      nsPerOp: median(nsOtel),
      min: Math.min(...nsOtel),
      max: Math.max(...nsOtel),
      allocationPerOp: allocation.otel,
      ...otelDone,
    },
    /** Heap growth over the timed rounds of both sides, measured after a GC (meaningful with --expose-gc). */
    retainedBytes,
  };
}
