import { resolve } from "node:path";
import { settingsFrom } from "./settings";

/**
 * The only reader of process.env in the web app: every setting, parsed once at start
 * (the kinds of setting and their messages: settings.ts).
 */
const { text, textOr, flag, int, rateOrOff, list, origin, choice } = settingsFrom(process.env);

export const env = {
  /** Postgres connection string; unset means embedded PGlite in dataDir. */
  databaseUrl: text("DATABASE_URL"),
  /** Where PGlite and the generated API key live. */
  dataDir: resolve(/* turbopackIgnore: true */ textOr("RUNTRAIL_DATA_DIR", ".runtrail")),
  /** API key of the default project; generated and kept in dataDir when unset. */
  apiKey: text("RUNTRAIL_API_KEY"),
  /** Largest accepted ingest body in bytes (413 above). */
  maxBodyBytes: int("RUNTRAIL_MAX_BODY_BYTES", 4 * 1024 * 1024),
  /**
   * Largest OTLP trace export (POST /api/otlp/v1/traces), both as sent and once
   * un-gzipped (413 above). Exporters send batches of 512 spans; GenAI spans carry whole
   * prompts, so this is well above the 10 MB some services stop at.
   */
  otlpMaxBodyBytes: int("RUNTRAIL_OTLP_MAX_BODY_BYTES", 32 * 1024 * 1024),
  /** Most events in one ingest batch (413 above). */
  maxBatchEvents: int("RUNTRAIL_MAX_BATCH_EVENTS", 1000),
  /**
   * Per-event limits (a violation rejects that event only). The SDK keeps within the
   * defaults; lowering one makes the server refuse what an SDK may send. Ids, names
   * and tags cannot go past the defaults: they are index keys, and Postgres refuses
   * index rows over 2,704 bytes (a name of 500 three-byte characters plus a 200
   * character id is ~2.2 KB).
   */
  limits: {
    idChars: int("RUNTRAIL_MAX_ID_CHARS", 200, 200),
    nameChars: int("RUNTRAIL_MAX_NAME_CHARS", 500, 500),
    textChars: int("RUNTRAIL_MAX_TEXT_CHARS", 65_536),
    tags: int("RUNTRAIL_MAX_TAGS", 50, 1000),
    tagChars: int("RUNTRAIL_MAX_TAG_CHARS", 200, 200),
    /** Nesting of input, output, metadata and log attributes; Postgres parses jsonb recursively. */
    jsonDepth: int("RUNTRAIL_MAX_JSON_DEPTH", 64, 512),
  },
  /**
   * Token bucket per API key, per server process: requests per second, and the burst
   * a quiet key may spend at once. 0 turns the limit off; fractions slow a key below one
   * a second (0.1 = one every ten seconds).
   */
  rateLimit: {
    perSecond: rateOrOff("RUNTRAIL_RATE_LIMIT_PER_SECOND", 1000),
    burst: int("RUNTRAIL_RATE_LIMIT_BURST", 2000),
  },
  /**
   * Wrong API keys a client address may send per minute before its wrong keys get 429
   * (a right key is never refused for them). 0 turns it off.
   */
  badKeyLimit: rateOrOff("RUNTRAIL_BAD_KEY_LIMIT", 30),
  /** Active (unrevoked) API keys a project may have; the dashboard refuses more with 409. */
  maxKeysPerProject: int("RUNTRAIL_MAX_KEYS_PER_PROJECT", 100),
  /**
   * Proxies whose X-Forwarded-For names the client (for the sign-in throttle and the
   * wrong-key limit): addresses, CIDR ranges, or `loopback`, `linklocal`, `uniquelocal`
   * (proxy-addr's names); `none` trusts no proxy. Default `loopback`: a reverse proxy on
   * this machine.
   */
  trustedProxies: list("RUNTRAIL_TRUSTED_PROXIES", ["loopback"]),
  /**
   * The dashboard's public origin (https://runtrail.example.com), accepted as a
   * same-site Origin when a proxy in front rewrites the Host header.
   */
  publicOrigin: origin("RUNTRAIL_PUBLIC_URL"),
  /** Silence after which a running run that declared no heartbeatTimeoutMs is marked timed_out. */
  runTimeoutMs: int("RUNTRAIL_RUN_TIMEOUT_MS", 10 * 60_000),
  /** How often this process looks for runs that went silent. */
  sweepIntervalMs: int("RUNTRAIL_SWEEP_INTERVAL_MS", 5_000),
  /**
   * How often a live stream reads its run without news of a change. News comes from this
   * process's writes and, on Postgres, from other processes through LISTEN/NOTIFY; this
   * read is the safety net. Lower it where NOTIFY cannot reach the servers (a pooler in
   * transaction mode between them and Postgres).
   */
  livePollMs: int("RUNTRAIL_LIVE_POLL_MS", 30_000),
  /** `next dev`: the CSP allows eval, which React's dev tooling needs. (A literal read: Next.js fills it in at build time.) */
  dev: process.env.NODE_ENV === "development",
  /** First admin, created (or reset to this password) at start when both are set. */
  adminEmail: text("RUNTRAIL_ADMIN_EMAIL"),
  adminPassword: text("RUNTRAIL_ADMIN_PASSWORD"),
  /** Session cookies: `auto` marks them Secure when the request came over https. */
  secureCookies: choice("RUNTRAIL_SECURE_COOKIES", ["auto", "always", "never"], "auto"),
  /** A session ends this long after sign-in, whatever the activity (default 30 days). */
  sessionMaxAgeMs: int("RUNTRAIL_SESSION_MAX_AGE_SECONDS", 30 * 86_400) * 1000,
  /** ... or after this long without a request (default 7 days). */
  sessionIdleMs: int("RUNTRAIL_SESSION_IDLE_SECONDS", 7 * 86_400) * 1000,
  /** Silences the start-up banner (tests). */
  quiet: flag("RUNTRAIL_QUIET"),
} as const;
