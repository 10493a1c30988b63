/**
 * Live updates across replicas: two servers (`next start`) on one Postgres database.
 * Each sample ingests one new task into replica A over HTTP and times, from the
 * request's start, when it arrives on two live streams of the same run that are open
 * at once: one on A (the same replica; the reference) and one on B (another replica,
 * which learns of the change only through the database). Prints p50 / p95 of both and
 * the difference of the p95s; the target is a difference under 100 ms.
 *
 * Needs `npm run build` and a Postgres server: BENCH_DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres), where a throwaway database is created
 * and dropped at the end. BENCH_SAMPLES (default 100) samples after 10 unmeasured ones,
 * each 50 to 1,050 ms (at random) after the previous one arrived on both streams, so a
 * stream that polls once a second is caught at every phase of its poll.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import postgres from "postgres";
import { startLocalServer, stopAllServers, webIsBuilt } from "./local-server.mjs";

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100);
const WARMUP = 10;
const SAMPLE_TIMEOUT_MS = 10_000;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * q))];
};
const ms = (x) => `${x.toFixed(1)} ms`;
const sleep = (t) => new Promise((r) => setTimeout(r, t));

/** A live stream of one run: resolves `arrival(taskId)` with the time its task first arrives. */
async function openStream(url, apiKey, runId) {
  const abort = new AbortController();
  const res = await fetch(`${url}/api/v1/runs/${encodeURIComponent(runId)}/stream`, {
    headers: { authorization: `Bearer ${apiKey}`, accept: "text/event-stream" },
    signal: abort.signal,
  });
  if (res.status !== 200 || !res.body) throw new Error(`stream on ${url}: HTTP ${res.status}`);
  const seen = new Map();
  const waiting = new Map();
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      // Node's web streams are async iterable; the DOM typings these files also use say otherwise.
      for await (const chunk of /** @type {AsyncIterable<Uint8Array>} */ (/** @type {unknown} */ (res.body))) {
        const now = performance.now();
        buffer += decoder.decode(chunk, { stream: true });
        for (let cut = buffer.indexOf("\n\n"); cut >= 0; cut = buffer.indexOf("\n\n")) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          if (!block.startsWith("event: tasks\n")) continue;
          const data = block.slice(block.indexOf("data: ") + 6);
          for (const task of JSON.parse(data)) {
            if (seen.has(task.id)) continue;
            seen.set(task.id, now);
            waiting.get(task.id)?.(now);
          }
        }
      }
    } catch {
      // Closed at the end.
    }
  })();
  return {
    arrival(taskId) {
      const at = seen.get(taskId);
      if (at !== undefined) return Promise.resolve(at);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`task ${taskId} did not arrive on ${url} within ${SAMPLE_TIMEOUT_MS} ms`)), SAMPLE_TIMEOUT_MS);
        waiting.set(taskId, (t) => {
          clearTimeout(timer);
          waiting.delete(taskId);
          resolve(t);
        });
      });
    },
    close: () => abort.abort(),
  };
}

async function ingest(server, batch) {
  const res = await fetch(`${server.url}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json" },
    body: JSON.stringify({ batch }),
  });
  if (res.status !== 200) throw new Error(`ingest: HTTP ${res.status} ${await res.text()}`);
}

async function main() {
  if (!webIsBuilt()) {
    console.log("bench/replicas: build the app first (npm run build)");
    process.exit(1);
  }
  const name = `runtrail_bench_${randomBytes(6).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  // Both servers on this one database: local-server.mjs uses DATABASE_URL as is.
  delete process.env.BENCH_DATABASE_URL;
  process.env.DATABASE_URL = url.toString();
  let streams = [];
  try {
    const a = await startLocalServer();
    const b = await startLocalServer();
    console.log(`Two replicas on Postgres ${url.host}${url.pathname}: A ${a.url}, B ${b.url}`);

    const runId = `bench-replicas-${randomBytes(4).toString("hex")}`;
    let seq = 0;
    const event = (type, fields) => ({ id: `${runId}-e${++seq}`, runId, seq, ts: new Date().toISOString(), type, ...fields });
    await ingest(a, [event("run.start", { name: "replicas bench" })]);
    const same = await openStream(a.url, a.apiKey, runId);
    const cross = await openStream(b.url, b.apiKey, runId);
    streams = [same, cross];

    const sameMs = [];
    const crossMs = [];
    for (let i = 0; i < WARMUP + SAMPLES; i++) {
      const taskId = `t${i}`;
      const t0 = performance.now();
      await ingest(a, [event("task.start", { taskId, name: `step-${i}` })]);
      const [onA, onB] = await Promise.all([same.arrival(taskId), cross.arrival(taskId)]);
      if (i >= WARMUP) {
        sameMs.push(onA - t0);
        crossMs.push(onB - t0);
      }
      await sleep(50 + Math.random() * 1000);
    }
    await ingest(a, [event("run.complete", {})]);

    const row = (label, xs) => console.log(`  ${label.padEnd(22)} p50 ${ms(quantile(xs, 0.5)).padStart(10)}   p95 ${ms(quantile(xs, 0.95)).padStart(10)}`);
    console.log(`\nIngest into A -> task arrives on a live stream (${SAMPLES} samples):`);
    row("same replica (A)", sameMs);
    row("other replica (B)", crossMs);
    const diff = quantile(crossMs, 0.95) - quantile(sameMs, 0.95);
    console.log(`  p95 difference, other - same: ${ms(diff)} (target: under 100 ms)`);
  } finally {
    for (const s of streams) s.close();
    await stopAllServers();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end({ timeout: 1 });
  }
}

process.on("SIGINT", () => {
  void stopAllServers().finally(() => process.exit(130));
});

await main();
