/**
 * Part 1 of sdk-overhead: what recording costs, side by side in one process.
 * Our SDK records a task (start + complete); OpenTelemetry records a span
 * (start + end) through a BatchSpanProcessor into a no-op exporter.
 *
 * Each is called the way user code calls it: our methods return promises and
 * are awaited; OTel's are synchronous. The OTel loop awaits once every 64
 * spans so its batch processor can run (its export bookkeeping settles in
 * microtasks), as it would between real units of work.
 *
 * Two numbers per side and round:
 * - caller's path: the timed loop. Ours only queues references there (events
 *   are encoded and delivered on later macrotasks); OTel's builds span objects.
 * - all-in: the loop plus the flush that follows it (ours: `client.flush()`,
 *   which encodes and delivers the round's events; OTel: `provider.forceFlush()`),
 *   minus the fake server's own time: everything the process spends on a round.
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
    /**
     * Records `ops` tasks in one run, then flushes. ns/op of the caller's path and
     * all-in (loop + flush), each without the fake server's own time; heap bytes/op of the loop.
     */
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
      const loopServerNs = ingest.stats().serverNs - serverBefore;
      await run.complete();
      recorded += 2 * ops + 2;
      const flushStarted = process.hrtime.bigint();
      const report = await client.flush();
      const flushed = process.hrtime.bigint() - flushStarted;
      const serverNs = ingest.stats().serverNs - serverBefore;
      if (report.pending > 0) throw new Error(`flush left ${report.pending} events pending`);
      return {
        nsPerOp: Number(elapsed - loopServerNs) / ops,
        allInNsPerOp: Number(elapsed + flushed - serverNs) / ops,
        heapPerOp: heapBytes / ops,
        serverNsPerOp: Number(serverNs) / ops,
      };
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
  /**
   * Holds the last span of the previous round. V8 drops optimized code when every
   * object of a layout it depends on is gone, as after the GC between rounds; the SDK
   * keeps idle objects of its own for that reason (packages/sdk/src/shapes.ts). One
   * span kept gives OTel the same steady state instead of re-optimising every round.
   */
  const kept = { span: undefined };

  return {
    async round(ops) {
      const heapBefore = heapUsed();
      const t0 = process.hrtime.bigint();
      let span;
      for (let i = 0; i < ops; i++) {
        span = tracer.startSpan("parse-pdf", { attributes: { file: "report.pdf", page: i } });
        span.setAttributes({ pages: 3, words: 1200 });
        span.end();
        if (i % OTEL_YIELD_EVERY === OTEL_YIELD_EVERY - 1) await null;
      }
      const elapsed = process.hrtime.bigint() - t0;
      kept.span = span;
      const heapBytes = heapUsed() - heapBefore;
      started += ops;
      const flushStarted = process.hrtime.bigint();
      await provider.forceFlush();
      const flushed = process.hrtime.bigint() - flushStarted;
      return { nsPerOp: Number(elapsed) / ops, allInNsPerOp: Number(elapsed + flushed) / ops, heapPerOp: heapBytes / ops, serverNsPerOp: 0 };
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

function summary(values) {
  return { nsPerOp: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The median of the ratios of paired rounds (each of ours against the OTel round right after it), and their range. */
function pairedRatio(ours, otel) {
  const ratios = ours.map((ns, i) => ns / otel[i]);
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/**
 * Warms both up, then alternates timed rounds (ours, OTel, ours, …) with a GC
 * between rounds when `--expose-gc` is on; medians of ns/op (caller's path and
 * all-in), and the median of the ratios of paired rounds for each.
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
  const field = (rounds, key) => rounds.map((r) => r[key]);
  // Each of our rounds against the OTel round right after it: load that drifts over the run cancels out.
  return {
    gcExposed: typeof globalThis.gc === "function",
    ratio: pairedRatio(field(oursRounds, "nsPerOp"), field(otelRounds, "nsPerOp")),
    allInRatio: pairedRatio(field(oursRounds, "allInNsPerOp"), field(otelRounds, "allInNsPerOp")),
    ours: {
      ...summary(field(oursRounds, "nsPerOp")),
      allIn: summary(field(oursRounds, "allInNsPerOp")),
      serverNsPerOp: median(field(oursRounds, "serverNsPerOp")),
      allocationPerOp: allocation.ours,
      ...oursDone,
      answered: ours.ingest.stats(),
    },
    otel: {
      ...summary(field(otelRounds, "nsPerOp")),
      allIn: summary(field(otelRounds, "allInNsPerOp")),
      allocationPerOp: allocation.otel,
      ...otelDone,
    },
    /** Heap growth over the timed rounds of both sides, measured after a GC (meaningful with --expose-gc). */
    retainedBytes,
  };
}
