/**
 * The events of bench:ingest: what an instrumented pipeline's SDK sends. Each run
 * is a run.start, then per task a task.start (with an input) and a task.complete
 * (output and usage), a task.log every 50 tasks, a run.log, and a run.complete;
 * ids, seqs and times are made as the SDK makes them (a per-client prefix +
 * counter, the hybrid clock `max(previous + 1, now × 1000)`).
 */
import { randomBytes } from "node:crypto";

const MODELS = ["gpt-4o-mini", "claude-3-5-haiku", "llama-3.1-70b"];
const SENTENCE = "The quarterly figures show revenue up 12% on the year, with most of the growth in the northern region. ";

/** A UUIDv7-like run id: time-ordered, random tail. */
function runId(ms) {
  const hex = Math.floor(ms).toString(16).padStart(12, "0") + randomBytes(10).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * One client's runs, in the order its SDK emits them: `runs` runs of `tasksPerRun`
 * tasks, tagged `tag` (so a round's runs can be listed), as wire JSON objects.
 */
export function clientEvents({ runs, tasksPerRun, tag, baseMs }) {
  const prefix = randomBytes(10).toString("hex");
  let counter = 0;
  const nextId = () => `${prefix}.${(counter++).toString(36)}`;
  const events = [];
  let ms = baseMs;
  for (let r = 0; r < runs; r++) {
    const id = runId(ms);
    let seq = 0;
    // The SDK's clock: monotonic per run, about wall time in µs; events here are 0.2 ms apart.
    const at = () => {
      ms += 0.2;
      seq = Math.max(seq + 1, Math.round(ms * 1000));
      return { seq, ts: new Date(Math.floor(ms)).toISOString() };
    };
    events.push({
      id: nextId(),
      runId: id,
      type: "run.start",
      ...at(),
      name: `nightly-report-${r % 7}`,
      input: { file: `reports/2024-q${(r % 4) + 1}.pdf`, pages: 40 + (r % 30), options: { language: "en", ocr: r % 5 === 0 } },
      metadata: { host: "worker-3", commit: "9f3c2e1", attempt: 1 },
      tags: [tag, "bench", r % 2 === 0 ? "even" : "odd"],
    });
    events.push({ id: nextId(), runId: id, type: "run.log", ...at(), message: `processing ${tasksPerRun} sections`, level: "info" });
    for (let t = 0; t < tasksPerRun; t++) {
      const taskId = nextId();
      const model = MODELS[t % MODELS.length];
      events.push({
        id: nextId(),
        runId: id,
        type: "task.start",
        taskId,
        ...at(),
        name: t % 3 === 0 ? "extract-section" : t % 3 === 1 ? "summarise" : "classify",
        input: {
          section: t,
          model,
          temperature: 0.2,
          prompt: `Summarise section ${t} of the report in three sentences. ${SENTENCE.slice(0, 40 + (t % 60))}`,
        },
      });
      if (t % 50 === 49) {
        events.push({ id: nextId(), runId: id, type: "task.log", taskId, ...at(), message: `retrying section ${t} after a rate limit`, level: "warn", attributes: { attempt: 2 } });
      }
      const inputTokens = 300 + ((t * 37) % 900);
      const outputTokens = 80 + ((t * 13) % 200);
      events.push({
        id: nextId(),
        runId: id,
        type: "task.complete",
        taskId,
        ...at(),
        output: { text: SENTENCE.repeat(1 + (t % 3)).trim(), finishReason: "stop", citations: [t, t + 1] },
        usage: { inputTokens, outputTokens, costUsd: Math.round((inputTokens * 0.15 + outputTokens * 0.6) * 100) / 1e8 },
      });
    }
    events.push({ id: nextId(), runId: id, type: "run.complete", ...at(), output: { sections: tasksPerRun, ok: true } });
  }
  return events;
}

/** Splits one client's events into batches of `size`, in emit order (as its SDK sends them). */
export function batchesOf(events, size) {
  const out = [];
  for (let i = 0; i < events.length; i += size) out.push(events.slice(i, i + size));
  return out;
}

/** A round's work: one list of batches per client, run ids and the tag. */
export function makeRound({ clients, runs, tasksPerRun, batchSize }) {
  const tag = `bench-${randomBytes(4).toString("hex")}`;
  const perClient = Math.ceil(runs / clients);
  const baseMs = Date.now();
  const work = [];
  let events = 0;
  for (let c = 0; c < clients; c++) {
    const mine = Math.min(perClient, runs - c * perClient);
    if (mine <= 0) break;
    const list = clientEvents({ runs: mine, tasksPerRun, tag, baseMs: baseMs + c * 1e6 });
    events += list.length;
    work.push(batchesOf(list, batchSize));
  }
  return { tag, work, events, runs, tasksPerRun };
}
