/**
 * HTTP delivery of one batch: POST, per-request timeout, and retries with
 * exponential backoff and full jitter on network errors, timeouts, 408, 429
 * and 5xx, honouring `Retry-After`. The HTTP call is a parameter (`fetch`), so
 * tests and other runtimes can supply their own.
 *
 * A retryable failure is retried until it succeeds or `signal` aborts: the
 * batch is never given up while the client lives. Failures are reported to
 * `onError`, never thrown.
 */
import type { FetchLike, ResponseLike } from "./config.js";
import { DEFAULTS, SDK_VERSION } from "./config.js";
import type { DeliveryErrorCode } from "./errors.js";
import { DeliveryError } from "./errors.js";
import type { CancelledRun, EventResult } from "./protocol.js";
import { sleep, unref } from "./timers.js";

export type SendOutcome =
  /**
   * 2xx; `results` when the body was an IngestResponse (with `?results=errors`,
   * only its rejected and conflict entries), `cancelledRuns` from it (else empty).
   */
  | { kind: "sent"; status: number; results: readonly EventResult[] | undefined; cancelledRuns: readonly CancelledRun[] }
  /** 413: the caller decides whether to split. */
  | { kind: "too_large" }
  /** Another 4xx: not retryable, already reported to onError. */
  | { kind: "rejected" }
  | { kind: "aborted" };

export interface TransportOptions {
  /** Full ingest URL. */
  url: string;
  apiKey: string;
  fetch: FetchLike;
  requestTimeoutMs: number;
  onError: (error: DeliveryError) => void;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

export interface Transport {
  /** Sends encoded events as one request, retrying until done or aborted. */
  send(events: readonly string[], signal: AbortSignal): Promise<SendOutcome>;
}

/** Longest `Retry-After` we honour; longer values are treated as a misconfiguration. */
const MAX_RETRY_AFTER_MS = 10 * 60_000;

/** Full jitter: uniform in [0, min(cap, base * 2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, capMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

/** `Retry-After` as milliseconds from `now`: delay-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : Date.parse(text) - now;
  if (Number.isNaN(ms)) return undefined;
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS);
}

type Attempt = { response: ResponseLike; body: string } | { failure: "network_error" | "timeout" | "aborted"; cause: unknown };

function retryCode(status: number): DeliveryErrorCode | undefined {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  return undefined;
}

/** The server's error text from an ApiErrorBody, else the raw body (short). */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown; field?: unknown } };
    const message = parsed.error?.message;
    // The server's message already names the field ("batch: 1500 events, limit 1000").
    if (typeof message === "string") return message;
  } catch {
    // Not JSON: fall through to the raw text.
  }
  return body.slice(0, 500);
}

const NONE: readonly never[] = Object.freeze([]);

function parseCancelled(value: unknown): readonly CancelledRun[] {
  if (!Array.isArray(value) || value.length === 0) return NONE;
  const runs: CancelledRun[] = [];
  for (const item of value as unknown[]) {
    const { runId, reason } = (item ?? {}) as { runId?: unknown; reason?: unknown };
    if (typeof runId === "string") runs.push({ runId, reason: typeof reason === "string" ? reason : null });
  }
  return runs;
}

/**
 * The per-event results and cancelled runs of an ingest answer; tolerant of
 * other bodies. With `?results=errors` a clean batch's answer is ~100 bytes
 * whatever the batch size, so one `JSON.parse` of it is cheap.
 */
export function parseIngestBody(body: string): {
  results: readonly EventResult[] | undefined;
  cancelledRuns: readonly CancelledRun[];
} {
  try {
    const parsed = JSON.parse(body) as { results?: unknown; cancelledRuns?: unknown } | null;
    const results = Array.isArray(parsed?.results) ? (parsed.results as EventResult[]) : undefined;
    return { results, cancelledRuns: parseCancelled(parsed?.cancelledRuns) };
  } catch {
    return { results: undefined, cancelledRuns: NONE };
  }
}

export function createTransport(options: TransportOptions): Transport {
  const { url, fetch, requestTimeoutMs } = options;
  const baseMs = options.retryBaseMs ?? DEFAULTS.retryBaseMs;
  const capMs = options.retryMaxMs ?? DEFAULTS.retryMaxMs;
  const random = options.random ?? Math.random;
  const headers = {
    authorization: `Bearer ${options.apiKey}`,
    "content-type": "application/json",
    "x-runtrail-sdk": `ts/${SDK_VERSION}`,
  };

  function report(error: DeliveryError): void {
    try {
      options.onError(error);
    } catch {
      // A throwing onError must not break delivery.
    }
  }

  async function attempt(body: string, signal: AbortSignal): Promise<Attempt> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = unref(
      setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, requestTimeoutMs),
    );
    const onAbort = (): void => controller.abort();
    signal.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await fetch(url, { method: "POST", headers, body, signal: controller.signal });
      let text = "";
      try {
        text = await response.text();
      } catch {
        // The status already tells us what happened; a lost body only loses detail.
      }
      return { response, body: text };
    } catch (cause) {
      return { failure: signal.aborted ? "aborted" : timedOut ? "timeout" : "network_error", cause };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
    }
  }

  async function send(events: readonly string[], signal: AbortSignal): Promise<SendOutcome> {
    const body = `{"batch":[${events.join(",")}]}`;
    const eventCount = events.length;
    for (let attemptNo = 0; ; attemptNo++) {
      if (signal.aborted) return { kind: "aborted" };
      const result = await attempt(body, signal);
      let code: DeliveryErrorCode;
      let status: number | undefined;
      let retryAfter: number | undefined;
      let cause: unknown;
      let details: string[] = [];
      if ("failure" in result) {
        if (result.failure === "aborted") return { kind: "aborted" };
        code = result.failure;
        cause = result.cause;
      } else {
        status = result.response.status;
        if (status >= 200 && status < 300) return { kind: "sent", status, ...parseIngestBody(result.body) };
        if (status === 413) return { kind: "too_large" };
        details = [errorDetail(result.body)];
        const retryable = retryCode(status);
        if (retryable === undefined) {
          report(
            new DeliveryError("rejected", `Runtrail rejected a batch of ${eventCount} events: HTTP ${status}.`, {
              status,
              eventCount,
              willRetry: false,
              details,
            }),
          );
          return { kind: "rejected" };
        }
        code = retryable;
        retryAfter = parseRetryAfter(result.response.headers.get("retry-after"));
      }
      const delay = retryAfter ?? backoffDelay(attemptNo, baseMs, capMs, random);
      report(
        new DeliveryError(
          code,
          `Sending ${eventCount} events to Runtrail failed (${status === undefined ? code : `HTTP ${status}`}); retrying in ${delay} ms.`,
          { status, eventCount, willRetry: true, details, cause },
        ),
      );
      if (!(await sleep(delay, signal))) return { kind: "aborted" };
    }
  }

  return { send };
}
