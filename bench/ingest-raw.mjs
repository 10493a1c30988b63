/**
 * The reference of bench:ingest: the same events as rows of one bare table with the
 * events table's columns and primary key (no other index, no projection), written by
 * batched `INSERT … ON CONFLICT DO NOTHING` with the same concurrency as the HTTP
 * clients. One multi-row VALUES statement per batch, each value its own bind
 * parameter, as an application writing rows would.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const TABLE = `create table if not exists raw_events (
  project_id text not null, run_id text not null, id text not null, seq bigint not null, type text not null,
  task_id text, ts timestamptz not null, received_at timestamptz not null default now(), payload jsonb not null,
  primary key (project_id, run_id, id))`;
const COLUMNS = ["project_id", "run_id", "id", "seq", "type", "task_id", "ts", "payload"];

/** An event as the row the raw table stores: the envelope fields as columns, the rest as payload. */
function toRow(e) {
  const { id, runId, seq, ts, type, taskId, ...payload } = e;
  // postgres.js and PGlite serialise an object parameter for a jsonb column as JSON.
  return ["default", runId, id, seq, type, taskId ?? null, ts, payload];
}

/** `insert … values ($1, …), …` for `rows` rows of the raw table, with its flat parameter list. */
function valuesStatement(batch) {
  const params = [];
  const tuples = [];
  for (const e of batch) {
    const row = toRow(e);
    const base = params.length;
    tuples.push(`(${row.map((_, i) => `$${base + i + 1}`).join(", ")})`);
    params.push(...row);
  }
  return { text: `insert into raw_events (${COLUMNS.join(", ")}) values ${tuples.join(", ")} on conflict do nothing`, params };
}

/** Runs every client's batches, `work.length` clients at once, each in order; resolves to seconds taken. */
export async function timeClients(work, send) {
  const started = performance.now();
  await Promise.all(work.map(async (batches, client) => {
    for (const batch of batches) await send(batch, client);
  }));
  return (performance.now() - started) / 1000;
}

/** The reference on Postgres: its own pool of one connection per client, on the server's database. */
export async function postgresReference(databaseUrl, clients) {
  const postgres = (await import("postgres")).default;
  const sql = postgres(databaseUrl, { max: clients, onnotice: () => {} });
  await sql.unsafe(TABLE);
  const reserved = await Promise.all(Array.from({ length: clients }, () => sql.reserve()));
  return {
    label: `Postgres, table raw_events in the server's database, ${clients} connections`,
    insert: (work) =>
      timeClients(work, async (batch, client) => {
        const { text, params } = valuesStatement(batch);
        await reserved[client].unsafe(text, params);
      }),
    async close() {
      for (const r of reserved) r.release();
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * The reference on PGlite: a PGlite database in its own temp dir, in this process
 * (PGlite is single-connection; the server's is in the server's process). The clients'
 * batches interleave on it as they do on the server's.
 */
export async function pgliteReference() {
  const { PGlite } = await import("@electric-sql/pglite");
  const dir = await mkdtemp(join(tmpdir(), "runtrail-bench-raw-"));
  const db = await PGlite.create({ dataDir: dir });
  await db.exec(TABLE);
  return {
    label: `PGlite in ${dir}, in the bench's process`,
    insert: (work) =>
      timeClients(work, async (batch) => {
        const { text, params } = valuesStatement(batch);
        await db.query(text, params);
      }),
    async close() {
      await db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
