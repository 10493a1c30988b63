/**
 * The read and control API's requests (`client.runs`, `client.run(id)`): JSON
 * over transport's attempt and retry loop, a few retries with backoff on
 * network errors, 429 and 5xx (honouring `Retry-After`), and typed errors:
 * 404 → RunNotFoundError, 409 → RunAlreadyFinishedError, 400 → InvalidArgumentError,
 * anything else → ApiError. A caller's `signal` aborts with its own reason.
 */
import type { FetchLike } from "./config.js";
import type { RuntrailError } from "./errors.js";
import { ApiError, InvalidArgumentError, RunAlreadyFinishedError, RunNotFoundError } from "./errors.js";
import type { Attempt, HttpRequest, Next } from "./transport.js";
import { ABORTED, abortReason, createHttp, parseRetryAfter } from "./transport.js";

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

export type { Attempt };

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

export function createApiClient(options: ApiClientOptions): ApiClient {
  const { baseUrl, requestTimeoutMs } = options;
  const retries = options.retries ?? 3;
  const http = createHttp({ ...options, retryBaseMs: options.retryBaseMs ?? 200, retryMaxMs: options.retryMaxMs ?? 5_000 });

  function toHttp(request: ApiRequest & { headers?: Record<string, string>; stream?: boolean }): HttpRequest {
    return {
      method: request.method,
      url: buildUrl(baseUrl, request.path, request.query),
      headers: request.headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal ?? NEVER,
      stream: request.stream,
    };
  }

  /** One attempt's verdict for a JSON request (see the module comment); throws the typed error. */
  function decide<T>(request: ApiRequest, result: Attempt, attemptNo: number): Next<T> {
    const where = `${request.method} ${request.path}`;
    if ("failure" in result) {
      if (result.failure === "aborted") throw result.cause;
      // A POST that got no answer may have been applied: only reads are repeated.
      if (request.method !== "GET" || attemptNo >= retries) {
        const what = result.failure === "timeout" ? `timed out after ${requestTimeoutMs} ms` : "could not reach the server";
        throw new ApiError(`Runtrail API ${where} ${what}.`, { cause: result.cause });
      }
      return { retryInMs: http.backoff(attemptNo) };
    }
    const status = result.response.status;
    if (status >= 200 && status < 300) {
      try {
        return { done: JSON.parse(result.text) as T };
      } catch (cause) {
        throw new ApiError(`Runtrail API ${where} answered HTTP ${status} without JSON.`, { status, cause });
      }
    }
    const retryAfter = parseRetryAfter(result.response.headers.get("retry-after"));
    const giveUp =
      !isRetryable(status, request.method) || attemptNo >= retries || (retryAfter !== undefined && retryAfter > MAX_READ_RETRY_AFTER_MS);
    if (giveUp) throw toApiError(status, result.text, request);
    return { retryInMs: retryAfter ?? http.backoff(attemptNo) };
  }

  async function request<T>(request: ApiRequest): Promise<T> {
    const httpRequest = toHttp(request);
    // Sleeps keep the process alive: a caller awaits this read.
    const answer = await http.retry(httpRequest, (result, attemptNo) => decide<T>(request, result, attemptNo), true);
    if (answer === ABORTED) throw abortReason(httpRequest.signal);
    return answer;
  }

  return { request, attempt: (request) => http.attempt(toHttp(request)) };
}
