/**
 * Part 2 of sdk-overhead: how many events/s one SDK client delivers to a real
 * local server (`next start`), end to end: recording, batching, HTTP, ingest
 * into the store. Then checks through the read API that every run arrived
 * whole.
 */
import { randomBytes } from "node:crypto";
import { Runtrail } from "@runtrail/sdk";

const FLUSH_TIMEOUT_MS = 300_000;
const VERIFY_TIMEOUT_MS = 5_000;

/** Records `runs` × `tasksPerRun` tasks as fast as possible, flushes, and times it. */
async function record(server, { runs, tasksPerRun }, tag) {
  const events = runs * (2 + 2 * tasksPerRun);
  const client = new Runtrail({
    baseUrl: server.url,
    apiKey: server.apiKey,
    // Recording outruns delivery by far; room for everything, so this measures delivery, not drops.
    maxQueueSize: events + 1000,
    maxQueueBytes: 1024 * 1024 * 1024,
  });
  const runIds = [];
  const started = performance.now();
  for (let r = 0; r < runs; r++) {
    const run = await client.startRun({ name: `bench-run-${r}`, tags: [tag], input: { run: r } });
    runIds.push(run.id);
    for (let t = 0; t < tasksPerRun; t++) {
      const task = await run.startTask("step", { run: r, task: t });
      await task.complete({ output: { ok: true, task: t } });
    }
    await run.complete();
  }
  const recordedMs = performance.now() - started;
  const report = await client.flush(FLUSH_TIMEOUT_MS);
  const seconds = (performance.now() - started) / 1000;
  await client.shutdown(1_000);
  return { events, runIds, recordedMs, seconds, report };
}

async function listRuns(server, tag) {
  const res = await fetch(`${server.url}/api/v1/runs?limit=200&tag=${encodeURIComponent(tag)}`, {
    headers: { authorization: `Bearer ${server.apiKey}` },
  });
  if (!res.ok) throw new Error(`GET /api/v1/runs: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()).data;
}

/** Problems with the stored runs, [] when every run is there, completed, with all its tasks. */
function checkRuns(data, runIds, tasksPerRun) {
  const byId = new Map(data.map((run) => [run.id, run]));
  const problems = [];
  for (const id of runIds) {
    const run = byId.get(id);
    if (run === undefined) problems.push(`${id}: missing`);
    else if (run.taskCounts.total !== tasksPerRun || run.taskCounts.completed !== tasksPerRun) {
      problems.push(`${id}: taskCounts ${JSON.stringify(run.taskCounts)}, expected ${tasksPerRun} completed`);
    } else if (run.status !== "completed") problems.push(`${id}: status ${run.status}`);
  }
  return problems;
}

/** Verifies through GET /api/v1/runs (Bearer key); retries briefly in case the store lags. */
async function verify(server, tag, runIds, tasksPerRun) {
  const deadline = Date.now() + VERIFY_TIMEOUT_MS;
  for (;;) {
    const problems = checkRuns(await listRuns(server, tag), runIds, tasksPerRun);
    if (problems.length === 0 || Date.now() > deadline) return problems;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function measureDelivery(server, shape) {
  // Runs are tagged per bench run, so the check also works on a database that already has runs.
  const tag = `bench-${randomBytes(4).toString("hex")}`;
  const result = await record(server, shape, tag);
  const problems = await verify(server, tag, result.runIds, shape.tasksPerRun);
  return { ...result, tag, problems };
}
