/**
 * HTTP for the read and control API (`client.runs`, `client.run(id)`): JSON
 * requests with a per-attempt timeout, a few retries with backoff on network
 * errors, 429 and 5xx (honouring `Retry-After`), and typed errors:
 * 404 → RunNotFoundError, 409 → RunAlreadyFinishedError, 400 → InvalidArgumentError,
 * anything else → ApiError. A caller's `signal` aborts with its own reason.
 */
import type { FetchLike, ResponseLike } from "./config.js";
import { SDK_VERSION } from "./config.js";
import type { RuntrailError } from "./errors.js";
import { ApiError, InvalidArgumentError, RunAlreadyFinishedError, RunNotFoundError } from "./errors.js";
import { backoffDelay, parseRetryAfter } from "./transport.js";
import { sleep, unref } from "./timers.js";

export interface ApiClientOptions {
  baseUrl: string;
  apiKey: string;
  fetch: FetchLike;
  requestTimeoutMs: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  random?: () => number;
}

export type Query = Record<string, string | number | undefined>;

export interface ApiRequest {
  method: "GET" | "POST";
  /** Path under the base URL, already encoded. */
  path: string;
  query?: Query;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Names the run in RunNotFoundError / RunAlreadyFinishedError. */
  runId?: string;
}

/** One attempt's outcome: an answer (its body read unless `stream`), or no answer. */
export type Attempt =
  | { response: ResponseLike; text: string }
  | { failure: "network_error" | "timeout" | "aborted"; cause: unknown };

export interface ApiClient {
  /** A JSON request, retried as described above; resolves with the parsed body. */
  request<T>(request: ApiRequest): Promise<T>;
  /** One attempt; with `stream` the body is left unread and the timeout only covers the headers. */
  attempt(request: ApiRequest & { headers?: Record<string, string>; stream?: boolean }): Promise<Attempt>;
}

/** Retry-After longer than this makes a read give up rather than stall its caller. */
const MAX_READ_RETRY_AFTER_MS = 60_000;
const NEVER: AbortSignal = new AbortController().signal;
const RUN_STATUS = /\b(completed|failed|cancelled|timed_out)\b/;

/** Whether a status is worth another attempt: POSTs only when the server surely did nothing. */
export function isRetryable(status: number, method: string): boolean {
  if (method !== "GET") return status === 429 || status === 503;
  return status === 408 || status === 429 || status >= 500;
}

/** Maps a non-2xx answer to the SDK's typed error. */
export function toApiError(status: number, text: string, request: Pick<ApiRequest, "method" | "path" | "runId">): RuntrailError {
  let message: string | undefined;
  let statusField: unknown;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown; status?: unknown }; status?: unknown };
    if (typeof parsed.error?.message === "string") message = parsed.error.message;
    statusField = parsed.error?.status ?? parsed.status;
  } catch {
    // Not JSON (a proxy's HTML page, say): keep a short piece of the raw text.
    message = text.slice(0, 300) || undefined;
  }
  const where = `${request.method} ${request.path}`;
  const runId = request.runId;
  if (status === 404 && runId !== undefined) {
    return new RunNotFoundError(runId, { message: `Run ${runId} was not found${message ? ` (${message})` : ""}.` });
  }
  if (status === 409 && runId !== undefined) {
    const found = typeof statusField === "string" ? statusField : RUN_STATUS.exec(message ?? "")?.[1];
    return new RunAlreadyFinishedError(runId, found ?? "finished", message ? { message } : undefined);
  }
  if (status === 400) return new InvalidArgumentError(message ?? `Runtrail refused ${where} (HTTP 400).`);
  return new ApiError(`Runtrail API ${where} failed: HTTP ${status}${message ? `: ${message}` : ""}`, { status });
}

function buildUrl(baseUrl: string, path: string, query: Query | undefined): string {
  let search = "";
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    search += `${search === "" ? "?" : "&"}${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`;
  }
  return `${baseUrl}${path}${search}`;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new Error("The operation was aborted.");
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, fetch, requestTimeoutMs } = options;
  const retries = options.retries ?? 3;
  const baseMs = options.retryBaseMs ?? 200;
  const capMs = options.retryMaxMs ?? 5_000;
  const random = options.random ?? Math.random;
  const baseHeaders = { authorization: `Bearer ${options.apiKey}`, "x-runtrail-sdk": `ts/${SDK_VERSION}` };

  async function attempt(request: ApiRequest & { headers?: Record<string, string>; stream?: boolean }): Promise<Attempt> {
    const signal = request.signal ?? NEVER;
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
    const headers: Record<string, string> = { ...baseHeaders, ...request.headers };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }
    const init = { method: request.method, headers, signal: controller.signal, ...(body === undefined ? {} : { body }) };
    try {
      const response = await fetch(buildUrl(baseUrl, request.path, request.query), init);
      if (request.stream === true) {
        // The stream's reader watches the caller's signal and its own idle time from here on.
        clearTimeout(timer);
        return { response, text: "" };
      }
      return { response, text: await response.text() };
    } catch (cause) {
      if (signal.aborted) return { failure: "aborted", cause: abortReason(signal) };
      return { failure: timedOut ? "timeout" : "network_error", cause };
    } finally {
      clearTimeout(timer);
      if (request.stream !== true) signal.removeEventListener("abort", onAbort);
    }
  }

  async function request<T>(request: ApiRequest): Promise<T> {
    const signal = request.signal ?? NEVER;
    const where = `${request.method} ${request.path}`;
    for (let attemptNo = 0; ; attemptNo++) {
      const result = await attempt(request);
      let delay: number;
      if ("failure" in result) {
        if (result.failure === "aborted") throw result.cause;
        // A POST that got no answer may have been applied: only reads are repeated.
        if (request.method !== "GET" || attemptNo >= retries) {
          const what = result.failure === "timeout" ? `timed out after ${requestTimeoutMs} ms` : "could not reach the server";
          throw new ApiError(`Runtrail API ${where} ${what}.`, { cause: result.cause });
        }
        delay = backoffDelay(attemptNo, baseMs, capMs, random);
      } else {
        const status = result.response.status;
        if (status >= 200 && status < 300) {
          try {
            return JSON.parse(result.text) as T;
          } catch (cause) {
            throw new ApiError(`Runtrail API ${where} answered HTTP ${status} without JSON.`, { status, cause });
          }
        }
        const retryAfter = parseRetryAfter(result.response.headers.get("retry-after"));
        const giveUp =
          !isRetryable(status, request.method) ||
          attemptNo >= retries ||
          (retryAfter !== undefined && retryAfter > MAX_READ_RETRY_AFTER_MS);
        if (giveUp) throw toApiError(status, result.text, request);
        delay = retryAfter ?? backoffDelay(attemptNo, baseMs, capMs, random);
      }
      if (!(await sleep(delay, signal, true))) throw abortReason(signal);
    }
  }

  return { request, attempt };
}
