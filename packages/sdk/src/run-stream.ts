/**
 * `client.runs.stream(id)`: the server-sent events of `GET /api/v1/runs/:id/stream`
 * as an async iterator. A dropped or silent connection (no bytes, not even the
 * server's 15 s `: ping`, for 45 s) is reopened with `Last-Event-ID` after a
 * backoff, so the iteration continues where it left off; it ends after `end`.
 */
import { ApiError } from "./errors.js";
import type { ApiClient } from "./http.js";
import { isRetryable, toApiError } from "./http.js";
import type { RunInfo, TaskInfo } from "./protocol.js";
import type { SseMessage } from "./sse.js";
import { SseParser } from "./sse.js";
import { sleep, unref } from "./timers.js";
import { backoffDelay, parseRetryAfter } from "./transport.js";

/**
 * What `client.runs.stream()` yields. On connect, and then on every change, the
 * server sends zero or more `tasks` (only the tasks changed since the previous
 * message, in chunks of up to 1,000) closed by one `run` (the run after that
 * change); `end` (the final run) comes last, once the run has ended. So tasks
 * come *before* the run that closes their change: a consumer that needs both
 * collects `tasks` until the next `run`.
 *
 * @example
 * for await (const event of client.runs.stream(runId)) {
 *   if (event.type === "run") console.log(event.run.status);
 *   else if (event.type === "tasks") console.log(event.tasks.map((task) => task.name));
 *   else console.log("finished:", event.run.status);
 * }
 */
export type RunStreamEvent =
  | { type: "run"; run: RunInfo }
  | { type: "tasks"; tasks: TaskInfo[] }
  | { type: "end"; run: RunInfo };

/** Options of `client.runs.stream()`. */
export interface StreamOptions {
  /** Start after this run version: only tasks changed since then are sent first. */
  since?: number;
  /** Stops the stream; the iterator then throws the signal's reason. */
  signal?: AbortSignal;
}

export interface StreamTuning {
  idleTimeoutMs: number;
  /** Failed connections in a row (no message in between) before giving up. */
  maxFailures: number;
  retryBaseMs: number;
  retryMaxMs: number;
}

export const STREAM_TUNING: StreamTuning = { idleTimeoutMs: 45_000, maxFailures: 8, retryBaseMs: 250, retryMaxMs: 5_000 };

const NEVER: AbortSignal = new AbortController().signal;

function toEvent(message: SseMessage): RunStreamEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return undefined; // a malformed message is skipped, not fatal
  }
  if (typeof data !== "object" || data === null) return undefined;
  if (message.event === "tasks") return Array.isArray(data) ? { type: "tasks", tasks: data as TaskInfo[] } : undefined;
  if (message.event === "run") return { type: "run", run: data as RunInfo };
  if (message.event === "end") return { type: "end", run: data as RunInfo };
  return undefined;
}

/** Decoded text chunks of a body; `connection` aborting (or `idleMs` of silence) ends it early. */
async function* readText(
  body: ReadableStream<Uint8Array>,
  connection: AbortController,
  idleMs: number,
): AsyncGenerator<string, void, undefined> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let timer: ReturnType<typeof setTimeout> | undefined;
  // Cancelling the reader makes a pending read() resolve as done.
  const stop = (): void => void reader.cancel().catch(() => {});
  connection.signal.addEventListener("abort", stop, { once: true });
  try {
    for (;;) {
      timer = unref(setTimeout(() => connection.abort(new Error("stream idle")), idleMs));
      const { done, value } = await reader.read();
      clearTimeout(timer);
      if (done || connection.signal.aborted) break;
      const text = decoder.decode(value, { stream: true });
      if (text !== "") yield text;
    }
    const rest = decoder.decode();
    if (rest !== "") yield rest;
  } finally {
    clearTimeout(timer);
    connection.signal.removeEventListener("abort", stop);
    stop();
  }
}

/** The stream of one run; see the module comment. */
export async function* streamRun(
  api: ApiClient,
  runId: string,
  options: StreamOptions = {},
  tuning: StreamTuning = STREAM_TUNING,
): AsyncGenerator<RunStreamEvent, void, undefined> {
  const signal = options.signal ?? NEVER;
  const path = `/api/v1/runs/${encodeURIComponent(runId)}/stream`;
  const parser = new SseParser();
  let failures = 0;
  let lastError: unknown;
  for (;;) {
    const connection = new AbortController();
    const onAbort = (): void => connection.abort(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    const lastId = parser.lastEventId;
    parser.reset();
    let retryAfter: number | undefined;
    try {
      const result = await api.attempt({
        method: "GET",
        path,
        query: lastId === undefined ? { since: options.since } : undefined,
        headers: { accept: "text/event-stream", ...(lastId === undefined ? {} : { "last-event-id": lastId }) },
        signal: connection.signal,
        runId,
        stream: true,
      });
      if ("failure" in result) {
        if (result.failure === "aborted") throw signal.aborted ? signal.reason : result.cause;
        lastError = new ApiError(`Runtrail API GET ${path}: ${result.failure}.`, { cause: result.cause });
      } else if (result.response.status < 200 || result.response.status >= 300) {
        const status = result.response.status;
        const text = await result.response.text().catch(() => "");
        const error = toApiError(status, text, { method: "GET", path, runId });
        if (!isRetryable(status, "GET")) throw error; // 404, 400, 401…: final
        lastError = error;
        retryAfter = parseRetryAfter(result.response.headers.get("retry-after"));
      } else {
        try {
          const body = result.response.body;
          const chunks = body ? readText(body, connection, tuning.idleTimeoutMs) : [await result.response.text()];
          for await (const chunk of chunks) {
            for (const message of parser.push(chunk)) {
              const event = toEvent(message);
              if (event === undefined) continue;
              failures = 0;
              yield event;
              if (event.type === "end") return;
            }
          }
          lastError = new ApiError(`Runtrail API GET ${path}: the stream closed before its end event.`);
        } catch (cause) {
          if (signal.aborted) throw signal.reason;
          lastError = new ApiError(`Runtrail API GET ${path}: the stream broke.`, { cause });
        }
      }
    } finally {
      connection.abort();
      signal.removeEventListener("abort", onAbort);
    }
    if (signal.aborted) throw signal.reason;
    failures++;
    if (failures > tuning.maxFailures) {
      throw new ApiError(`Runtrail API GET ${path}: gave up after ${failures} failed connections.`, { cause: lastError });
    }
    const backoff = backoffDelay(failures - 1, tuning.retryBaseMs, tuning.retryMaxMs, Math.random);
    const delay = retryAfter ?? Math.max(parser.retryMs ?? 0, backoff, 50);
    if (!(await sleep(delay, signal, true))) throw signal.reason;
  }
}
