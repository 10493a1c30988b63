/**
 * Options, defaults and the SDK's only reader of environment variables.
 */
import type { DeliveryError } from "./errors.js";
import { InvalidArgumentError } from "./errors.js";

export const SDK_VERSION = "0.1.0";

/** Every default in one place. */
export const DEFAULTS = {
  baseUrl: "http://127.0.0.1:3000",
  flushIntervalMs: 500,
  maxBatchSize: 200,
  maxBatchBytes: 1024 * 1024,
  maxQueueSize: 10_000,
  maxQueueBytes: 16 * 1024 * 1024,
  maxValueBytes: 256 * 1024,
  maxBlockMs: 5_000,
  requestTimeoutMs: 10_000,
  flushTimeoutMs: 30_000,
  retryBaseMs: 100,
  // A long cap leaves a recovered server idle: a fault test saw ~15 s of it at 30 s.
  retryMaxMs: 5_000,
  heartbeatIntervalMs: 10_000,
  heartbeatTimeoutMs: 60_000,
  exitFlushTimeoutMs: 5_000,
} as const;

/** Bounds the server accepts for `heartbeatTimeoutMs` on `run.start`. */
export const HEARTBEAT_TIMEOUT_RANGE = { min: 1_000, max: 604_800_000 } as const;

/**
 * What the SDK needs from an HTTP response; the global `Response` fits.
 * `body` is only read by `client.runs.stream()`; without it the stream is read whole.
 */
export interface ResponseLike {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
  text(): Promise<string>;
}

/** What the SDK asks `fetch` for: a POST with a JSON body, or a GET without one. */
export interface RequestInitLike {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/**
 * What the SDK needs from `fetch`; the global `fetch` fits.
 *
 * @example
 * const fetch: FetchLike = (url, init) => globalThis.fetch(url, init);
 * new Runtrail({ fetch });
 */
export type FetchLike = (url: string, init: RequestInitLike) => Promise<ResponseLike>;

/**
 * Options of {@link Runtrail}. Every field is optional.
 *
 * @example
 * new Runtrail({ baseUrl: "https://runtrail.example.com", apiKey: "rt_…", flushIntervalMs: 1000 });
 */
export interface RuntrailOptions {
  /** Server address. Default: `RUNTRAIL_URL`, else `http://127.0.0.1:3000`. */
  baseUrl?: string;
  /** API key. Default: `RUNTRAIL_API_KEY`. Required unless disabled. */
  apiKey?: string;
  /** `false` makes every call a no-op. `RUNTRAIL_DISABLED=1|true` disables too. */
  enabled?: boolean;
  /** How often queued events are sent. Default 500 ms. */
  flushIntervalMs?: number;
  /** Events per request; a full batch is sent at once. Default 200. */
  maxBatchSize?: number;
  /** Bytes per request; reaching it sends at once. Default 1 MiB. */
  maxBatchBytes?: number;
  /**
   * Queue bound in events. Default 10,000. When the queue is full, awaited calls
   * (`startRun`, `startTask`, `complete`, `fail`, `skip`) wait for room while
   * delivery makes progress (see `maxBlockMs`); `log` and `update` drop their
   * event (counted in the flush report).
   */
  maxQueueSize?: number;
  /**
   * Queue bound in bytes (of encoded events). Default 16 MiB. Past it, a log or
   * update is dropped (counted); an awaited call's event is kept, and later
   * awaited calls wait until the queue is back under the bound.
   */
  maxQueueBytes?: number;
  /**
   * How long awaited calls wait for room in a full queue while delivery makes no
   * progress (no batch gets through: the server is down or refuses). Past it
   * their events are dropped (counted as `queue_overflow`) and the calls resolve;
   * later calls drop at once until delivery gets through again. Default 5 s;
   * `0` never waits (every event that finds the queue full is dropped).
   */
  maxBlockMs?: number;
  /**
   * Inputs, outputs, metadata and log attributes larger than this are replaced by a
   * `$truncated` marker. Texts (error messages and stacks, log messages, status
   * messages, skip reasons) are cut past this many characters or the server's
   * 65,536, whichever is lower, ending in "… [truncated]". Default 256 KiB.
   */
  maxValueBytes?: number;
  /** Per-request timeout. Default 10 s. */
  requestTimeoutMs?: number;
  /** HTTP function to use. Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Receives background delivery failures; they are never thrown. Default: ignore. */
  onError?: (error: DeliveryError) => void;
  /**
   * How often each open run sends `run.heartbeat` when it records nothing else.
   * Default 10 s; `0` turns heartbeats off (and `heartbeatTimeoutMs` is then only
   * sent when you set it).
   */
  heartbeatIntervalMs?: number;
  /**
   * Sent on every `run.start`: the server marks a running run `timed_out` after this
   * long without events or heartbeats. 1 s .. 7 days, above `heartbeatIntervalMs`. Default 60 s.
   */
  heartbeatTimeoutMs?: number;
  /** On SIGTERM / SIGINT, how long to flush before the signal takes effect. Default 5 s. */
  exitFlushTimeoutMs?: number;
}

export interface ResolvedConfig {
  enabled: boolean;
  baseUrl: string;
  apiKey: string;
  flushIntervalMs: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  maxQueueSize: number;
  maxQueueBytes: number;
  maxValueBytes: number;
  maxBlockMs: number;
  requestTimeoutMs: number;
  fetch: FetchLike;
  onError: (error: DeliveryError) => void;
  /** 0 when heartbeats are off. */
  heartbeatIntervalMs: number;
  /** What `run.start` declares; undefined when nothing is sent. */
  heartbeatTimeoutMs: number | undefined;
  exitFlushTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

/** Reads `process.env` when there is one (Node, Bun, Deno's Node mode); `{}` elsewhere. */
export function readEnv(): Env {
  try {
    const proc = (globalThis as { process?: { env?: Env } }).process;
    return proc?.env ?? {};
  } catch {
    // Some runtimes throw on env access without permission; treat it as empty.
    return {};
  }
}

const NUMERIC_OPTIONS = [
  "flushIntervalMs",
  "maxBatchSize",
  "maxBatchBytes",
  "maxQueueSize",
  "maxQueueBytes",
  "maxValueBytes",
  "requestTimeoutMs",
] as const;

function ignoreError(): void {}

function nonNegative(options: RuntrailOptions, key: "heartbeatIntervalMs" | "exitFlushTimeoutMs" | "maxBlockMs"): number {
  const value = options[key] ?? DEFAULTS[key];
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(`Option ${key} must be a number >= 0, got ${String(value)}.`);
  }
  return value;
}

function resolveHeartbeat(options: RuntrailOptions): Pick<ResolvedConfig, "heartbeatIntervalMs" | "heartbeatTimeoutMs"> {
  const interval = nonNegative(options, "heartbeatIntervalMs");
  const given = options.heartbeatTimeoutMs;
  // Without heartbeats, declaring the default 60 s would time out every quiet run.
  if (given === undefined && interval === 0) return { heartbeatIntervalMs: 0, heartbeatTimeoutMs: undefined };
  const timeout = given ?? DEFAULTS.heartbeatTimeoutMs;
  const { min, max } = HEARTBEAT_TIMEOUT_RANGE;
  if (typeof timeout !== "number" || !Number.isInteger(timeout) || timeout < min || timeout > max) {
    throw new InvalidArgumentError(`Option heartbeatTimeoutMs must be an integer in ${min}..${max}, got ${String(timeout)}.`);
  }
  if (interval > 0 && timeout <= interval) {
    throw new InvalidArgumentError(
      `Option heartbeatTimeoutMs (${timeout}) must be longer than heartbeatIntervalMs (${interval}), ` +
        "or every quiet run would time out between two heartbeats.",
    );
  }
  return { heartbeatIntervalMs: interval, heartbeatTimeoutMs: timeout };
}

/** Merges options, environment and defaults; throws {@link InvalidArgumentError} on bad values. */
export function resolveConfig(options: RuntrailOptions = {}, env: Env = readEnv()): ResolvedConfig {
  const envDisabled = /^(1|true|yes)$/i.test(env.RUNTRAIL_DISABLED?.trim() ?? "");
  const enabled = options.enabled !== false && !envDisabled;
  const baseUrl = (options.baseUrl ?? env.RUNTRAIL_URL ?? DEFAULTS.baseUrl).replace(/\/+$/, "");
  const apiKey = options.apiKey ?? env.RUNTRAIL_API_KEY ?? "";

  const numbers = {} as Record<(typeof NUMERIC_OPTIONS)[number], number>;
  for (const key of NUMERIC_OPTIONS) {
    const value = options[key] ?? DEFAULTS[key];
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
      throw new InvalidArgumentError(`Option ${key} must be a positive number, got ${String(value)}.`);
    }
    numbers[key] = value;
  }

  let fetchFn = options.fetch;
  if (enabled) {
    if (apiKey === "") {
      throw new InvalidArgumentError(
        "Runtrail needs an API key: pass { apiKey } or set RUNTRAIL_API_KEY " +
          "(or disable the SDK with { enabled: false } / RUNTRAIL_DISABLED=1).",
      );
    }
    if (!/^https?:\/\//i.test(baseUrl)) {
      throw new InvalidArgumentError(`baseUrl must start with http:// or https://, got "${baseUrl}" (RUNTRAIL_URL).`);
    }
    if (fetchFn === undefined) {
      if (typeof globalThis.fetch !== "function") {
        throw new InvalidArgumentError("No global fetch in this runtime; pass { fetch } to Runtrail.");
      }
      fetchFn = (url, init) => globalThis.fetch(url, init);
    }
  }

  return {
    enabled,
    baseUrl,
    apiKey,
    ...numbers,
    ...resolveHeartbeat(options),
    exitFlushTimeoutMs: nonNegative(options, "exitFlushTimeoutMs"),
    maxBlockMs: nonNegative(options, "maxBlockMs"),
    fetch: fetchFn ?? (() => Promise.reject(new Error("Runtrail is disabled"))),
    onError: options.onError ?? ignoreError,
  };
}
