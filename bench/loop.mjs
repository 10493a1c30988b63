/**
 * loop — run with `npm run bench:loop` from the repository root (after `npm run build`).
 *
 * The seed's pattern in a batch pipeline, at volume, against the real server:
 *
 *   for (…100,000…) { const t = await run.startTask(…); await t.complete(…); }
 *   await run.complete(); await client.flush();
 *
 * with the client's default settings (a 10,000-event queue). The loop's awaits
 * never yield to the event loop by themselves; once the queue is full they wait
 * for delivery to make room, so nothing is dropped while the server is up.
 * Prints the loop's own time, the flush time, the flush report, and what the
 * server stored, read back through the API. The reference in the same run is
 * the time the server took to store the events (the loop cannot end much before
 * delivery has caught up with it): `loop time / (loop + flush time)` near 1 means
 * the loop ran at the speed of delivery.
 *
 * Valid (exit 0) only when every event is stored (200,002 by default), nothing
 * was dropped, and the run is `completed`.
 *
 * Store: BENCH_DATABASE_URL, else the local Postgres (postgres://postgres@127.0.0.1:5432/postgres)
 * when it answers, as a throwaway database; else PGlite. `BENCH_STORE=pglite`
 * forces PGlite. `BENCH_TASKS` overrides the 100,000 tasks.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { Runtrail } from "@runtrail/sdk";
import { startLocalServer, stopAllServers, webIsBuilt } from "./local-server.mjs";

const LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres";
const TASKS = Number(process.env.BENCH_TASKS ?? 100_000);
const FLUSH_TIMEOUT_MS = 600_000;

const int = (n) => Math.round(n).toLocaleString("en-US");
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** True when a Postgres server answers at `url`. */
async function reachable(url) {
  let sql;
  try {
    const postgres = (await import("postgres")).default;
    sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
    await sql`select 1`;
    return true;
  } catch {
    return false;
  } finally {
    await sql?.end({ timeout: 1 });
  }
}

async function chooseStore() {
  if (process.env.BENCH_STORE === "pglite") {
    delete process.env.BENCH_DATABASE_URL;
    delete process.env.DATABASE_URL;
  } else if (!process.env.BENCH_DATABASE_URL && !process.env.DATABASE_URL && (await reachable(LOCAL_PG))) {
    process.env.BENCH_DATABASE_URL = LOCAL_PG;
  }
}

/** The loop, timed; then run.complete() and flush(), timed. */
async function record(server) {
  const client = new Runtrail({ baseUrl: server.url, apiKey: server.apiKey });
  const run = await client.startRun({ name: "bench-loop", tags: [`loop-${randomBytes(4).toString("hex")}`] });
  const started = performance.now();
  for (let i = 0; i < TASKS; i++) {
    const task = await run.startTask("step", { i });
    await task.complete({ output: { ok: true, i } });
  }
  const loopMs = performance.now() - started;
  await run.complete({ output: { tasks: TASKS } });
  const flushStarted = performance.now();
  const report = await client.flush(FLUSH_TIMEOUT_MS);
  const flushMs = performance.now() - flushStarted;
  await client.shutdown(1_000);
  return { runId: run.id, loopMs, flushMs, report };
}

/** What the server stored for the run, through `GET /api/v1/runs/:id` (the run and every task). */
async function stored(server, runId) {
  const res = await fetch(`${server.url}/api/v1/runs/${runId}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  if (!res.ok) throw new Error(`GET /api/v1/runs/${runId}: HTTP ${res.status} ${await res.text()}`);
  const { run, tasks } = await res.json();
  const started = tasks.filter((task) => task.seq !== null).length;
  const completed = tasks.filter((task) => task.status === "completed" && task.endedAt !== null).length;
  const runEvents = (run.name === "bench-loop" ? 1 : 0) + (run.status === "completed" ? 1 : 0);
  return { run, tasks: tasks.length, started, completed, events: runEvents + started + completed };
}

async function main() {
  if (!webIsBuilt()) {
    console.log("apps/web is not built (no apps/web/.next/BUILD_ID): run `npm run build` first.");
    return true;
  }
  await chooseStore();
  const server = await startLocalServer();
  try {
    const expected = 2 * TASKS + 2;
    const r = await record(server);
    const s = await stored(server, r.runId);
    const { sent, pending, dropped } = r.report;
    const droppedTotal = Object.values(dropped).reduce((a, b) => a + b, 0);
    console.log(`loop  (node ${process.version}; next start on ${server.store}: ${server.label})`);
    console.log(`  for-loop of ${int(TASKS)} tasks (await startTask + await complete), default client settings (10,000-event queue)`);
    console.log(`  loop time          : ${seconds(r.loopMs)}  (${int((2 * TASKS) / (r.loopMs / 1000))} events/s recorded)`);
    console.log(`  flush after it     : ${seconds(r.flushMs)}`);
    console.log(`  loop / (loop+flush): ${(r.loopMs / (r.loopMs + r.flushMs)).toFixed(2)}  (1.00: the loop ran at the speed of delivery)`);
    console.log(
      `  flush report       : sent ${int(sent)}, pending ${pending}, dropped ${droppedTotal} ` +
        `(${Object.entries(dropped)
          .map(([reason, n]) => `${reason} ${n}`)
          .join(", ")})`,
    );
    console.log(
      `  stored (API)       : run ${s.run.status}, ${int(s.tasks)} tasks, ${int(s.started)} started, ${int(s.completed)} completed ` +
        `→ ${int(s.events)} of ${int(expected)} events; taskCounts ${JSON.stringify(s.run.taskCounts)}`,
    );
    const ok = s.events === expected && s.run.status === "completed" && droppedTotal === 0 && pending === 0 && sent === expected;
    if (!ok) console.log("\nINVALID: events were dropped, lost or left pending, or the run did not end completed (see above).");
    return ok;
  } finally {
    await server.stop();
  }
}

process.once("SIGINT", () => {
  void stopAllServers().finally(() => process.exit(130));
});

try {
  if (!(await main())) process.exitCode = 1;
} catch (err) {
  console.error(err);
  await stopAllServers();
  process.exitCode = 1;
}
