/**
 * HTTP to the Runtrail server, for delivery and for the read and control
 * client alike: one attempt (the SDK's headers, a per-request timeout, the
 * caller's abort), and the retry loop (exponential backoff with full jitter,
 * or the server's `Retry-After`). The HTTP call is a parameter (`fetch`), so
 * tests and other runtimes can supply their own.
 *
 * On top of it, `createTransport` is delivery's ingest POST: a batch is
 * retried on network errors, timeouts, 408, 429 and 5xx until it gets through
 * or delivery stops (its signal aborts): never given up while the client lives.
 * Failures are reported to `onError`, never thrown.
 */
import type { FetchLike, RequestInitLike, ResponseLike } from "./config.js";
import { DEFAULTS, SDK_VERSION } from "./config.js";
import type { DeliveryErrorCode } from "./errors.js";
import { DeliveryError } from "./errors.js";
import type { CancelledRun, EventResult } from "./protocol.js";
import { sleep, unref } from "./timers.js";

export interface HttpOptions {
  apiKey: string;
  fetch: FetchLike;
  requestTimeoutMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  /** Added to the SDK's `authorization` and `x-runtrail-sdk` (and `content-type` with a body). */
  headers?: Record<string, string> | undefined;
  body?: string | undefined;
  signal: AbortSignal;
  /** Leave the body unread; the timeout then covers the headers only. */
  stream?: boolean | undefined;
  /** A body that fails to arrive reads as "" (the status tells enough) instead of failing the attempt. */
  bodyOptional?: boolean | undefined;
}

/** One attempt's outcome: an answer (its body read unless `stream`), or no answer. */
export type Attempt =
  | { response: ResponseLike; text: string }
  | { failure: "network_error" | "timeout" | "aborted"; cause: unknown };

/** After an attempt: stop with `done`, or sleep `retryInMs` and attempt again. */
export type Next<T> = { done: T } | { retryInMs: number };

/** What `retry` resolves to when the request's signal aborts while it sleeps. */
export const ABORTED: unique symbol = Symbol("aborted");

export interface Http {
  attempt(request: HttpRequest): Promise<Attempt>;
  /**
   * Attempts until `decide` says done (or throws, which rejects); sleeps between
   * attempts on a timer that keeps the process alive only with `keepAlive`.
   */
  retry<T>(request: HttpRequest, decide: (result: Attempt, attemptNo: number) => Next<T>, keepAlive: boolean): Promise<T | typeof ABORTED>;
  /** The backoff before attempt `attemptNo + 1`. */
  backoff(attemptNo: number): number;
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

/** The signal's reason, or an Error when it has none. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("The operation was aborted.");
}

export function createHttp(options: HttpOptions): Http {
  const { fetch, requestTimeoutMs, retryBaseMs, retryMaxMs } = options;
  const random = options.random ?? Math.random;
  const sdkHeaders = { authorization: `Bearer ${options.apiKey}`, "x-runtrail-sdk": `ts/${SDK_VERSION}` };
  const jsonHeaders = { ...sdkHeaders, "content-type": "application/json" };

  async function attempt(request: HttpRequest): Promise<Attempt> {
    const { signal, body } = request;
    if (signal.aborted) return { failure: "aborted", cause: abortReason(signal) };
    const controller = new AbortController();
    let timedOut = false;
    const timer = unref(
      setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, requestTimeoutMs),
    );
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const base = body === undefined ? sdkHeaders : jsonHeaders;
    const headers = request.headers === undefined ? { ...base } : { ...base, ...request.headers };
    const init: RequestInitLike = { method: request.method, headers, signal: controller.signal };
    if (body !== undefined) init.body = body;
    try {
      const response = await fetch(request.url, init);
      if (request.stream === true) {
        // The stream's reader watches the caller's signal and its own idle time from here on.
        clearTimeout(timer);
        return { response, text: "" };
      }
      if (request.bodyOptional !== true) return { response, text: await response.text() };
      try {
        return { response, text: await response.text() };
      } catch {
        return { response, text: "" };
      }
    } catch (cause) {
      if (signal.aborted) return { failure: "aborted", cause: abortReason(signal) };
      return { failure: timedOut ? "timeout" : "network_error", cause };
    } finally {
      clearTimeout(timer);
      if (request.stream !== true) signal.removeEventListener("abort", onAbort);
    }
  }

  async function retry<T>(
    request: HttpRequest,
    decide: (result: Attempt, attemptNo: number) => Next<T>,
    keepAlive: boolean,
  ): Promise<T | typeof ABORTED> {
    for (let attemptNo = 0; ; attemptNo++) {
      const next = decide(await attempt(request), attemptNo);
      if ("done" in next) return next.done;
      if (!(await sleep(next.retryInMs, request.signal, keepAlive))) return ABORTED;
    }
  }

  return { attempt, retry, backoff: (attemptNo) => backoffDelay(attemptNo, retryBaseMs, retryMaxMs, random) };
}

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

function retryCode(status: number): DeliveryErrorCode | undefined {
  if (status === 429) return "rate_limited";
  if (status === 408) return "timeout";
  if (status >= 500) return "server_error";
  return undefined;
}

/** The server's error text from an ApiErrorBody, else the raw body (short). */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    // The server's message already names the field ("batch: 1500 events, limit 1000").
    if (typeof parsed.error?.message === "string") return parsed.error.message;
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
export function parseIngestBody(body: string): { results: readonly EventResult[] | undefined; cancelledRuns: readonly CancelledRun[] } {
  try {
    const parsed = JSON.parse(body) as { results?: unknown; cancelledRuns?: unknown } | null;
    const results = Array.isArray(parsed?.results) ? (parsed.results as EventResult[]) : undefined;
    return { results, cancelledRuns: parseCancelled(parsed?.cancelledRuns) };
  } catch {
    return { results: undefined, cancelledRuns: NONE };
  }
}

export function createTransport(options: TransportOptions): Transport {
  const http = createHttp({
    ...options,
    retryBaseMs: options.retryBaseMs ?? DEFAULTS.retryBaseMs,
    retryMaxMs: options.retryMaxMs ?? DEFAULTS.retryMaxMs,
  });

  function report(error: DeliveryError): void {
    try {
      options.onError(error);
    } catch {
      // A throwing onError must not break delivery.
    }
  }

  /** One attempt's verdict; each failure is reported with what happens next. */
  function decide(result: Attempt, attemptNo: number, eventCount: number): Next<SendOutcome> {
    let code: DeliveryErrorCode;
    let status: number | undefined;
    let retryAfter: number | undefined;
    let cause: unknown;
    let details: string[] = [];
    if ("failure" in result) {
      if (result.failure === "aborted") return { done: { kind: "aborted" } };
      code = result.failure;
      cause = result.cause;
    } else {
      status = result.response.status;
      if (status >= 200 && status < 300) return { done: { kind: "sent", status, ...parseIngestBody(result.text) } };
      if (status === 413) return { done: { kind: "too_large" } };
      details = [errorDetail(result.text)];
      const retryable = retryCode(status);
      if (retryable === undefined) {
        const message = `Runtrail rejected a batch of ${eventCount} events: HTTP ${status}.`;
        report(new DeliveryError("rejected", message, { status, eventCount, willRetry: false, details }));
        return { done: { kind: "rejected" } };
      }
      code = retryable;
      retryAfter = parseRetryAfter(result.response.headers.get("retry-after"));
    }
    const delay = retryAfter ?? http.backoff(attemptNo);
    const what = status === undefined ? code : `HTTP ${status}`;
    const message = `Sending ${eventCount} events to Runtrail failed (${what}); retrying in ${delay} ms.`;
    report(new DeliveryError(code, message, { status, eventCount, willRetry: true, details, cause }));
    return { retryInMs: delay };
  }

  return {
    async send(events, signal) {
      const request: HttpRequest = { method: "POST", url: options.url, body: `{"batch":[${events.join(",")}]}`, signal, bodyOptional: true };
      const outcome = await http.retry(request, (result, attemptNo) => decide(result, attemptNo, events.length), false);
      return outcome === ABORTED ? { kind: "aborted" } : outcome;
    },
  };
}
