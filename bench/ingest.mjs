/**
 * bench:ingest — sustained events/s through POST /api/v1/ingest of the built app
 * (`next start`) against a raw batched insert of the same events into a bare table,
 * same store, same run, same concurrency (ingest-raw.mjs). On Postgres (a throwaway
 * database on BENCH_DATABASE_URL, else the local Postgres when it answers) and on
 * PGlite (the server's in its data dir; the reference's in the bench's process).
 *
 * Each round is fresh runs (BENCH_RUNS runs × BENCH_TASKS tasks, split over
 * BENCH_CLIENTS clients, batches of BENCH_BATCH), sent by the clients at once, each
 * client one batch at a time, as an SDK does; then the same events through the
 * reference. Rounds alternate which side goes first; the ratio is the median over
 * rounds of server events/s over reference events/s. BENCH_STORES=postgres|pglite
 * picks one store; BENCH_CPU_PROF=<dir> writes the server's V8 CPU profile there.
 */
import { Agent, request } from "node:http";
import { resolve } from "node:path";
import { makeRound } from "./ingest-events.mjs";
import { pgliteReference, postgresReference, timeClients } from "./ingest-raw.mjs";
import { startLocalServer, stopAllServers, webIsBuilt } from "./local-server.mjs";

const LOCAL_PG = "postgres://postgres@127.0.0.1:5432/postgres";
const SHAPE = {
  clients: Number(process.env.BENCH_CLIENTS ?? 4),
  runs: Number(process.env.BENCH_RUNS ?? 100),
  tasksPerRun: Number(process.env.BENCH_TASKS ?? 200),
  batchSize: Number(process.env.BENCH_BATCH ?? 500),
};
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STORES = (process.env.BENCH_STORES ?? "postgres,pglite").split(",");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n) => Math.round(n).toLocaleString("en-US");

/**
 * The clients' connections: kept alive, one per client. node:http rather than fetch:
 * the clients share the machine with the server and Postgres, and fetch's web streams
 * cost several times more CPU per request; this measures the server, not the client.
 */
const agent = new Agent({ keepAlive: true, maxSockets: SHAPE.clients });

function postRaw(server, body) {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/v1/ingest?results=errors`,
      {
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${server.apiKey}`, "content-type": "application/json", "content-length": body.length },
      },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** Sends one client's batch; throws unless every event was accepted. */
async function post(server, body, count) {
  const { status, text } = await postRaw(server, body);
  if (status !== 200) throw new Error(`ingest answered ${status}: ${text.slice(0, 500)}`);
  const answer = JSON.parse(text);
  if (answer.accepted !== count) throw new Error(`ingest accepted ${answer.accepted} of ${count}: ${text.slice(0, 500)}`);
}

/** Every run of the round is stored completed with all its tasks (read API). */
async function verify(server, round) {
  const res = await fetch(`${server.url}/api/v1/runs?limit=200&tag=${round.tag}`, { headers: { authorization: `Bearer ${server.apiKey}` } });
  if (!res.ok) throw new Error(`GET /api/v1/runs: ${res.status}`);
  const { data } = await res.json();
  const good = data.filter((r) => r.status === "completed" && r.taskCounts.completed === round.tasksPerRun && r.taskCounts.total === round.tasksPerRun);
  if (good.length !== round.runs) throw new Error(`round ${round.tag}: ${good.length} of ${round.runs} runs stored complete`);
}

async function serverRound(server, round) {
  // Encoding is the SDK's work, not the server's: bodies are made before the clock starts.
  const bodies = round.work.map((batches) => batches.map((b) => ({ body: Buffer.from(JSON.stringify({ batch: b })), count: b.length })));
  const seconds = await timeClients(bodies, (b) => post(server, b.body, b.count));
  await verify(server, round);
  return round.events / seconds;
}

async function referenceRound(reference, round) {
  return round.events / (await reference.insert(round.work));
}

async function measure(store, server, reference) {
  console.log(`\n## ${store}\nserver: ${server.label}\nreference: ${reference.label}`);
  // Warm-up: the server's JIT, both sides' connections and caches.
  const warm = makeRound({ ...SHAPE, runs: Math.max(SHAPE.clients, Math.round(SHAPE.runs / 10)) });
  await serverRound(server, warm);
  await referenceRound(reference, warm);
  const ratios = [];
  console.log("round  server ev/s  reference ev/s  ratio");
  for (let i = 0; i < ROUNDS; i++) {
    const round = makeRound(SHAPE);
    let s;
    let r;
    if (i % 2 === 0) {
      s = await serverRound(server, round);
      r = await referenceRound(reference, round);
    } else {
      r = await referenceRound(reference, round);
      s = await serverRound(server, round);
    }
    ratios.push(s / r);
    console.log(`${String(i + 1).padStart(5)}  ${fmt(s).padStart(11)}  ${fmt(r).padStart(14)}  ${(s / r).toFixed(2)}`);
  }
  const m = median(ratios);
  console.log(`${store}: ratio server/raw insert ${m.toFixed(2)} (median of ${ROUNDS} rounds; target ≥ 0.5)`);
  return m;
}

async function onStore(store) {
  const nodeArgs = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const adminUrl = store === "pglite" ? null : (process.env.BENCH_DATABASE_URL ?? LOCAL_PG);
  const server = await startLocalServer({ adminUrl, nodeArgs });
  let reference;
  try {
    reference = store === "pglite" ? await pgliteReference() : await postgresReference(server.databaseUrl, SHAPE.clients);
    return await measure(store, server, reference);
  } finally {
    await reference?.close();
    await server.stop();
  }
}

async function main() {
  if (!webIsBuilt()) {
    console.error("bench:ingest needs the app built: npm run build");
    process.exit(1);
  }
  const perRun = 2 + SHAPE.tasksPerRun * 2 + Math.floor(SHAPE.tasksPerRun / 50) + 1;
  console.log(
    `bench:ingest: ${SHAPE.runs} runs × ${SHAPE.tasksPerRun} tasks (${fmt(SHAPE.runs * perRun)} events a round), ` +
      `${SHAPE.clients} clients, batches of ${SHAPE.batchSize}, ${ROUNDS} rounds`,
  );
  const results = [];
  for (const store of STORES) results.push(`${store} ${(await onStore(store)).toFixed(2)}`);
  console.log(`\nratios (server / raw insert): ${results.join(", ")}`);
}

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    stopAllServers().finally(() => process.exit(130));
  });
}

main().catch(async (err) => {
  console.error(err);
  await stopAllServers();
  process.exit(1);
});
