// A throwaway three-node Citus cluster on loopback, for `npm run test:citus` and for
// trying Runtrail on a distributed Postgres: a coordinator and two workers, each its
// own data directory under CITUS_CLUSTER_DIR (default <tmp>/runtrail-citus), on ports
// CITUS_BASE_PORT .. +2 (default 9700-9702). It needs Citus already installed into the
// Postgres whose binaries it uses (PG_BIN, else `pg_config --bindir`); it never builds
// or downloads anything. See docs/scaling.md.
//
//   node scripts/citus-cluster.mjs start    initdb (first time), start, register the nodes; prints CITUS_URL
//   node scripts/citus-cluster.mjs url      prints CITUS_URL
//   node scripts/citus-cluster.mjs status   which nodes answer
//   node scripts/citus-cluster.mjs stop     stops the three servers (the data stays)
//   node scripts/citus-cluster.mjs crash worker-1 1500   stops a node abruptly (as a crash), starts it again 1.5 s later
//   node scripts/citus-cluster.mjs destroy  stops them and deletes the data directories
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const HOST = "127.0.0.1";
const BASE_PORT = Number(process.env.CITUS_BASE_PORT || 9700);
const DIR = process.env.CITUS_CLUSTER_DIR || join(tmpdir(), "runtrail-citus");
/** The database the cluster is made for; tests make more of their own from it. */
const DATABASE = "runtrail";
const NODES = [
  { name: "coordinator", port: BASE_PORT },
  { name: "worker-1", port: BASE_PORT + 1 },
  { name: "worker-2", port: BASE_PORT + 2 },
];
const url = `postgres://postgres@${HOST}:${BASE_PORT}/${DATABASE}`;

function fail(message) {
  process.stderr.write(`citus-cluster: ${message}\n`);
  process.exit(1);
}

function pgBin() {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  try {
    return execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim();
  } catch {
    fail("pg_config not found: install Postgres 15 (and Citus into it) or set PG_BIN to its bin directory.");
  }
}

const BIN = pgBin();
const pgConfig = (flag) => execFileSync(join(BIN, "pg_config"), [flag], { encoding: "utf8" }).trim();

/** Citus is a server extension: its library and control file must sit in this Postgres. */
function requireCitus() {
  const lib = join(pgConfig("--pkglibdir"), "citus.so");
  const control = join(pgConfig("--sharedir"), "extension", "citus.control");
  const missing = [lib, control].filter((f) => !existsSync(f));
  if (missing.length > 0) {
    fail(
      `Citus is not installed into the Postgres at ${BIN} (missing ${missing.join(", ")}).\n` +
        "Install it first (your distribution's or Citus's own packages, or a build from its source),\n" +
        "or set PG_BIN to the bin directory of a Postgres that has it. See docs/scaling.md.",
    );
  }
}

// initdb refuses to run as root, and the servers must not either: as root, run them as
// the `postgres` account (Debian's packages make it) through runuser.
const asRoot = process.getuid?.() === 0;
function pgCommand(tool, args, options = {}) {
  const file = join(BIN, tool);
  const [cmd, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
  const r = spawnSync(cmd, argv, { encoding: "utf8", ...options });
  if (r.error) fail(`${tool}: ${r.error.message}`);
  return r;
}

function psql(port, database, statement) {
  const r = pgCommand("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", HOST, "-p", String(port), "-U", "postgres", "-d", database, "-c", statement]);
  if (r.status !== 0) fail(`on port ${port}, ${database}: ${statement}\n${r.stderr}`);
  return r.stdout.trim();
}

/** As root, what the servers write or read must belong to the `postgres` account. */
function giveToPostgres(path) {
  if (!asRoot) return;
  const id = (flag) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  chownSync(path, id("-u"), id("-g"));
}

const nodeDir = (node) => join(DIR, node.name);
const running = (node) => pgCommand("pg_ctl", ["status", "-D", nodeDir(node)]).status === 0;

function initNode(node) {
  const dir = nodeDir(node);
  if (existsSync(join(dir, "PG_VERSION"))) return;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  giveToPostgres(dir);
  const r = pgCommand("initdb", ["-D", dir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"]);
  if (r.status !== 0) fail(`initdb ${dir} failed:\n${r.stdout}${r.stderr}`);
  // Loopback only, trust auth (initdb's pg_hba.conf above), Citus preloaded. Citus opens
  // connections between the nodes and commits writes to reference tables with two-phase
  // commit, hence more connections and prepared transactions than Postgres' defaults.
  // Built without libcurl, Citus sends no statistics; switched off here in any case.
  const conf = [
    `port = ${node.port}`,
    `listen_addresses = '${HOST}'`,
    `unix_socket_directories = '${dir}'`,
    "shared_preload_libraries = 'citus'",
    "max_connections = 300",
    "max_prepared_transactions = 600",
    "shared_buffers = 128MB",
    "citus.enable_statistics_collection = off",
    "log_min_messages = warning",
    "",
  ].join("\n");
  appendFileSync(join(dir, "postgresql.conf"), `\n# Added by scripts/citus-cluster.mjs\n${conf}`);
}

function start() {
  requireCitus();
  mkdirSync(DIR, { recursive: true });
  giveToPostgres(DIR);
  for (const node of NODES) {
    initNode(node);
    if (running(node)) continue;
    const r = pgCommand("pg_ctl", ["start", "-w", "-t", "60", "-D", nodeDir(node), "-l", join(DIR, `${node.name}.log`)]);
    if (r.status !== 0) fail(`${node.name} did not start (port ${node.port}); see ${join(DIR, `${node.name}.log`)}\n${r.stdout}${r.stderr}`);
  }
  for (const node of NODES) {
    if (psql(node.port, "postgres", `select count(*) from pg_database where datname = '${DATABASE}'`) === "0") {
      psql(node.port, "postgres", `create database ${DATABASE}`);
    }
    psql(node.port, DATABASE, "create extension if not exists citus");
  }
  const [coordinator, ...workers] = NODES;
  psql(coordinator.port, DATABASE, `select citus_set_coordinator_host('${HOST}', ${coordinator.port})`);
  for (const w of workers) psql(coordinator.port, DATABASE, `select citus_add_node('${HOST}', ${w.port})`);
  const version = psql(coordinator.port, DATABASE, "select extversion from pg_extension where extname = 'citus'");
  process.stderr.write(`Citus ${version}: coordinator on ${coordinator.port}, workers on ${workers.map((w) => w.port).join(", ")}; data in ${DIR}\n`);
  process.stdout.write(`CITUS_URL=${url}\n`);
}

function stop() {
  for (const node of NODES) {
    if (!existsSync(join(nodeDir(node), "PG_VERSION")) || !running(node)) continue;
    const r = pgCommand("pg_ctl", ["stop", "-w", "-m", "fast", "-D", nodeDir(node)]);
    if (r.status !== 0) fail(`${node.name} did not stop:\n${r.stdout}${r.stderr}`);
  }
}

/** A crash and a restart of one node: `immediate` stops without a checkpoint, so it recovers on start. */
function crash(name, downMs) {
  const node = NODES.find((n) => n.name === name);
  if (!node) fail(`crash: no node ${JSON.stringify(name)} (${NODES.map((n) => n.name).join(", ")})`);
  if (!Number.isInteger(downMs) || downMs < 0) fail(`crash: the pause must be a whole number of milliseconds, got ${process.argv[4]}`);
  const stopped = pgCommand("pg_ctl", ["stop", "-w", "-m", "immediate", "-D", nodeDir(node)]);
  if (stopped.status !== 0) fail(`${node.name} did not stop:\n${stopped.stdout}${stopped.stderr}`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, downMs);
  const r = pgCommand("pg_ctl", ["start", "-w", "-t", "60", "-D", nodeDir(node), "-l", join(DIR, `${node.name}.log`)]);
  if (r.status !== 0) fail(`${node.name} did not start again; see ${join(DIR, `${node.name}.log`)}\n${r.stdout}${r.stderr}`);
}

function status() {
  let up = 0;
  for (const node of NODES) {
    const ok = existsSync(join(nodeDir(node), "PG_VERSION")) && running(node);
    if (ok) up++;
    process.stdout.write(`${node.name.padEnd(12)} ${String(node.port).padEnd(6)} ${ok ? "running" : "stopped"}\n`);
  }
  process.exitCode = up === NODES.length ? 0 : 1;
}

const command = process.argv[2];
if (command === "start") start();
else if (command === "stop") stop();
else if (command === "destroy") {
  stop();
  rmSync(DIR, { recursive: true, force: true });
} else if (command === "status") status();
else if (command === "crash") crash(process.argv[3], Number(process.argv[4] ?? 1000));
else if (command === "url") process.stdout.write(`${url}\n`);
else {
  process.stderr.write("Usage: node scripts/citus-cluster.mjs start|stop|status|url|destroy|crash <node> [ms]\n");
  process.exitCode = 2;
}
