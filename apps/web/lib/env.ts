import { resolve } from "node:path";

/** The only reader of process.env in the web app: every setting, parsed once. */

function int(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export const env = {
  /** Postgres connection string; unset means embedded PGlite in dataDir. */
  databaseUrl: process.env.DATABASE_URL || undefined,
  /** Where PGlite and the generated API key live. */
  dataDir: resolve(/* turbopackIgnore: true */ process.env.RUNTRAIL_DATA_DIR || ".runtrail"),
  /** API key of the default project; generated and kept in dataDir when unset. */
  apiKey: process.env.RUNTRAIL_API_KEY || undefined,
  /** Largest accepted ingest body in bytes (413 above). */
  maxBodyBytes: int("RUNTRAIL_MAX_BODY_BYTES", 4 * 1024 * 1024),
  /** Most events in one ingest batch (413 above). */
  maxBatchEvents: int("RUNTRAIL_MAX_BATCH_EVENTS", 1000),
  /** Silence after which a running run that declared no heartbeatTimeoutMs is marked timed_out. */
  runTimeoutMs: int("RUNTRAIL_RUN_TIMEOUT_MS", 10 * 60_000),
  /** How often this process looks for runs that went silent. */
  sweepIntervalMs: int("RUNTRAIL_SWEEP_INTERVAL_MS", 5_000),
  /** Silences the start-up banner (tests). */
  quiet: process.env.RUNTRAIL_QUIET === "1",
} as const;
