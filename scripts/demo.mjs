// `npm run demo`: an example instrumented agent recording several runs (parallel,
// nested, failed and skipped tasks) against the local Runtrail server.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Runtrail } from "@runtrail/sdk";

const dataDir = resolve(process.env.RUNTRAIL_DATA_DIR || ".runtrail");
const keyFile = resolve(dataDir, "api-key");
const apiKey = process.env.RUNTRAIL_API_KEY || (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "");
const baseUrl = process.env.RUNTRAIL_URL || `http://127.0.0.1:${process.env.PORT || 3000}`;
if (!apiKey) {
  console.error(`No API key: start the server once (npm start) so it writes ${keyFile}, or set RUNTRAIL_API_KEY.`);
  process.exit(1);
}

const client = new Runtrail({ baseUrl, apiKey, onError: (err) => console.error("runtrail:", err.message) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const jitter = (ms) => Math.round(ms * (0.7 + Math.random() * 0.6));

/** Runs `fn` inside a task, completing it with fn's result or failing it with fn's error. */
async function step(parent, name, input, fn) {
  const task = await parent.startTask(name, input);
  try {
    const output = await fn(task);
    await task.complete({ output });
    return output;
  } catch (err) {
    await task.fail(err);
    throw err;
  }
}

async function reportRun() {
  // The example from the docs: parse a PDF, then summarise it.
  const run = await client.startRun({ name: "report", input: { file: "report.pdf" }, tags: ["docs"] });
  const pages = await step(run, "parse-pdf", { file: "report.pdf" }, async () => (await sleep(jitter(180)), 3));
  const summary = await step(run, "summarise", { pages }, async () => {
    await sleep(jitter(420));
    return { summary: "Quarterly revenue grew 12%; churn fell to 2.1%." };
  });
  await run.complete({ output: summary });
}

async function researchRun(topic) {
  const run = await client.startRun({
    name: "research-agent",
    input: { topic },
    tags: ["agent", "gpt-5"],
    metadata: { user: "ada@example.com", model: "gpt-5-mini" },
  });
  const plan = await step(run, "plan", { topic }, async () => {
    await sleep(jitter(150));
    return { queries: [`${topic} overview`, `${topic} benchmarks`, `${topic} criticism`] };
  });
  const gather = await run.startTask("gather-sources", plan);
  const pages = await Promise.all(
    plan.queries.map((q, i) =>
      step(gather, `search: ${q}`, { query: q }, async (search) => {
        await sleep(jitter(120 + i * 60));
        const urls = [`https://example.com/${i}/a`, `https://example.com/${i}/b`];
        await Promise.all(urls.map((url) => step(search, "fetch-page", { url }, async () => (await sleep(jitter(90)), { bytes: 18_000 + i * 731 }))));
        return { urls };
      }),
    ),
  );
  await gather.complete({ output: { sources: pages.flatMap((p) => p.urls).length } });
  await step(run, "cache-lookup", { key: topic }, async (t) => {
    await sleep(20);
    await t.skip({ reason: "cache miss: nothing stored for this topic yet" });
  }).catch(() => {});
  const llm = await run.startTask("llm: draft-report", { model: "gpt-5-mini", sources: 6 });
  llm.update({ statusMessage: "waiting for the first token", progress: 0 });
  await sleep(jitter(250));
  llm.log("rate limited (429); retrying in 200 ms", { level: "warn", attributes: { attempt: 1 } });
  llm.update({ statusMessage: "streaming", progress: 0.5 });
  await sleep(jitter(350));
  const draft = { text: `# ${topic}\n\nA short report...` };
  await llm.complete({ output: draft, usage: { inputTokens: 5123, outputTokens: 812, costUsd: 0.0031 } });
  run.log("draft ready", { attributes: { chars: draft.text.length } });
  await step(run, "write-report", { path: `out/${topic}.md` }, async () => (await sleep(jitter(60)), { written: draft.text.length }));
  await run.complete({ output: { path: `out/${topic}.md` } });
}

async function triageRun(ticket) {
  const run = await client.startRun({ name: "support-triage", input: { ticket }, tags: ["support"] });
  try {
    const label = await step(run, "classify", { ticket }, async () => (await sleep(jitter(140)), { label: "billing", confidence: 0.93 }));
    await step(run, "lookup-customer", { label }, async () => {
      await sleep(jitter(250));
      throw new Error("Connection refused: billing-db:5432 (ECONNREFUSED)");
    });
    await run.complete();
  } catch (err) {
    await run.fail(err);
  }
}

async function etlRun() {
  const run = await client.startRun({ name: "nightly-etl", input: { date: new Date().toISOString().slice(0, 10) }, tags: ["pipeline"] });
  await step(run, "extract", { source: "s3://exports/orders" }, async () => (await sleep(jitter(200)), { rows: 48_213 }));
  const transform = await run.startTask("transform", { shards: 4 });
  await Promise.all(
    [0, 1, 2, 3].map((s) => step(transform, `shard-${s}`, { shard: s }, async () => (await sleep(jitter(150 + s * 70)), { rows: 12_000 + s }))),
  );
  await transform.complete({ output: { rows: 48_006 } });
  const refresh = await run.startTask("refresh-cache", { table: "orders_daily" });
  await refresh.skip({ reason: "cache hit: orders_daily is fresh" });
  await step(run, "load", { target: "warehouse.orders" }, async () => (await sleep(jitter(260)), { inserted: 48_006 }));
  await run.complete({ output: { rows: 48_006 } });
}

/** An agent that honours run.signal: someone cancels it from outside (here: the same script, as a user would from the dashboard). */
async function cancelledRun() {
  const run = await client.startRun({ name: "bulk-embed", input: { documents: 1200 }, tags: ["pipeline"] });
  const cancelling = (async () => {
    await sleep(700);
    await client.flush();
    await client.runs.cancel(run.id, { reason: "superseded by a newer import" });
  })();
  for (let batch = 0; !run.signal.aborted && batch < 40; batch++) {
    await step(run, `embed batch ${batch}`, { from: batch * 30, count: 30 }, async () => (await sleep(jitter(120)), { vectors: 30 }));
  }
  await cancelling;
  await run.complete(); // a no-op once cancelled
}

console.log(`Recording demo runs to ${baseUrl} ...`);
await reportRun();
await researchRun("vector databases");
await triageRun("#4821: charged twice for October");
await Promise.all([etlRun(), researchRun("agent observability"), cancelledRun()]);
const report = await client.shutdown();
console.log(`Done: ${report.sent} events delivered, ${report.pending} pending. Open ${baseUrl}/runs`);
if (report.pending > 0 || Object.values(report.dropped).some((n) => n > 0)) process.exitCode = 1;
