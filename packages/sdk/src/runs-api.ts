/**
 * `client.runs`: read and control runs over the HTTP API — list, get, poll,
 * wait, stream, cancel. Reads are retried a few times on network errors, 429
 * and 5xx (see http.ts); errors are typed (RunNotFoundError, ApiError, …).
 */
import { ApiError, InvalidArgumentError, RuntrailError, WaitTimeoutError } from "./errors.js";
import type { ApiClient, ApiRequest } from "./http.js";
import type { RunDetail, RunInfo, RunPage } from "./protocol.js";
import { isTerminalRunStatus } from "./protocol.js";
import type { RunList, RunListFilter } from "./run-list.js";
import { listRuns } from "./run-list.js";
import type { RunStreamEvent, StreamOptions } from "./run-stream.js";
import { streamRun } from "./run-stream.js";
import { sleep } from "./timers.js";

/** Options of `client.runs.poll()`. */
export interface PollOptions {
  /** Time between requests. Default 1000 ms. */
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Options of `client.runs.wait()`. */
export interface WaitOptions {
  /** Give up (WaitTimeoutError) after this long. Default 10 minutes. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Options of `client.runs.cancel()`. */
export interface CancelOptions {
  /** Shown in the dashboard and passed to the run's process as `RunCancelledError.reason`. */
  reason?: string;
  signal?: AbortSignal;
}

const WAIT_FIRST_MS = 200;
const WAIT_FACTOR = 1.5;
const WAIT_MAX_MS = 5_000;
const NEVER: AbortSignal = new AbortController().signal;

/** The API path of a run; throws InvalidArgumentError on a bad id. */
export function runPath(id: unknown, what: string): string {
  if (typeof id !== "string" || id === "") throw new InvalidArgumentError(`${what}: run id must be a non-empty string.`);
  return `/api/v1/runs/${encodeURIComponent(id)}`;
}

function positive(value: number | undefined, fallback: number, what: string): number {
  const n = value ?? fallback;
  if (typeof n !== "number" || !Number.isFinite(n) || n <= 0) {
    throw new InvalidArgumentError(`${what} must be a positive number, got ${String(n)}.`);
  }
  return n;
}

/** Network trouble, 429 or 5xx after the retries: worth polling again while time is left. */
function isTransient(error: unknown): boolean {
  return error instanceof ApiError && (error.status === undefined || error.status === 429 || error.status >= 500);
}

/**
 * Read and control runs: `client.runs`.
 *
 * @example
 * for await (const run of client.runs.list({ status: "failed", tag: "nightly" }).items()) console.log(run.id);
 * const { run, tasks } = await client.runs.get(id);
 * const final = await client.runs.wait(id, { timeoutMs: 60_000 });
 * for await (const event of client.runs.stream(id)) if (event.type === "tasks") render(event.tasks);
 * await client.runs.cancel(id, { reason: "superseded" });
 */
export class RunsApi {
  private readonly api: ApiClient;

  /** @internal `client.runs`; `api` is undefined when the client is disabled. */
  constructor(api: ApiClient | undefined) {
    this.api = api ?? DISABLED;
  }

  /**
   * Lists runs, newest first, as pages (`for await (const page of list)`) or runs (`list.items()`).
   * Throws `InvalidArgumentError` at once on a bad filter.
   *
   * @example
   * for await (const page of client.runs.list({ name: "report", limit: 100 })) console.log(page.data.length);
   */
  list(filter: RunListFilter = {}): RunList {
    return listRuns((request) => this.request<RunPage>(request), filter);
  }

  /**
   * The run and its tasks in timeline order. Rejects with `RunNotFoundError` on 404.
   *
   * @example
   * const { run, tasks } = await client.runs.get(id);
   */
  get(id: string, options: { signal?: AbortSignal } = {}): Promise<RunDetail> {
    const path = runPath(id, "get()");
    return this.request<RunDetail>({ method: "GET", path, signal: options.signal, runId: id });
  }

  /**
   * Yields the run (without tasks) at once, then whenever its status or task
   * counts change; ends after yielding a finished run.
   *
   * @example
   * for await (const run of client.runs.poll(id, { intervalMs: 2000 })) console.log(run.status, run.taskCounts);
   */
  poll(id: string, options: PollOptions = {}): AsyncGenerator<RunInfo, void, undefined> {
    const path = runPath(id, "poll()");
    const intervalMs = positive(options.intervalMs, 1000, "poll(): intervalMs");
    const signal = options.signal ?? NEVER;
    const fetchRun = (): Promise<RunInfo> => this.fetchRun(path, id, signal);
    return (async function* () {
      let last = "";
      for (;;) {
        const run = await fetchRun();
        const key = `${run.status} ${JSON.stringify(run.taskCounts)}`;
        if (key !== last) {
          last = key;
          yield run;
        }
        if (isTerminalRunStatus(run.status)) return;
        if (!(await sleep(intervalMs, signal, true))) throw signal.reason;
      }
    })();
  }

  /**
   * Resolves with the run once it is finished, polling with backoff (200 ms, ×1.5,
   * up to 5 s). Rejects with `WaitTimeoutError` after `timeoutMs` (default 10 min).
   *
   * @example
   * const run = await client.runs.wait(id, { timeoutMs: 120_000 });
   * if (run.status !== "completed") throw new Error(run.errorMessage ?? run.status);
   */
  wait(id: string, options: WaitOptions = {}): Promise<RunInfo> {
    const path = runPath(id, "wait()");
    const timeoutMs = positive(options.timeoutMs, 600_000, "wait(): timeoutMs");
    return this.waitFor(path, id, timeoutMs, options.signal ?? NEVER);
  }

  private async waitFor(path: string, id: string, timeoutMs: number, outer: AbortSignal): Promise<RunInfo> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, Math.min(timeoutMs, 2 ** 31 - 1));
    const onAbort = (): void => controller.abort(outer.reason);
    if (outer.aborted) onAbort();
    outer.addEventListener("abort", onAbort, { once: true });
    let last: RunInfo | undefined;
    let lastError: unknown;
    try {
      for (let delay = WAIT_FIRST_MS; ; delay = Math.min(delay * WAIT_FACTOR, WAIT_MAX_MS)) {
        try {
          last = await this.fetchRun(path, id, controller.signal);
          if (isTerminalRunStatus(last.status)) return last;
        } catch (err) {
          if (controller.signal.aborted || !isTransient(err)) throw err;
          lastError = err;
        }
        if (!(await sleep(delay, controller.signal, true))) break;
      }
    } catch (err) {
      if (!timedOut || outer.aborted) throw err;
    } finally {
      clearTimeout(timer);
      outer.removeEventListener("abort", onAbort);
    }
    if (outer.aborted) throw outer.reason;
    throw new WaitTimeoutError(id, timeoutMs, last?.status, { cause: lastError });
  }

  /**
   * Follows the run live over server-sent events. On connect and on every change:
   * zero or more `{ type: "tasks", tasks }` (the changed tasks, in chunks), then one
   * `{ type: "run", run }` that closes the change; `{ type: "end", run }` last, once
   * the run has ended. Reconnects with `Last-Event-ID` (the last `run`'s version)
   * when the connection drops, and goes on after the last complete change.
   *
   * @example
   * for await (const event of client.runs.stream(id)) {
   *   if (event.type === "tasks") for (const task of event.tasks) console.log(task.name, task.status);
   * }
   */
  stream(id: string, options: StreamOptions = {}): AsyncGenerator<RunStreamEvent, void, undefined> {
    runPath(id, "stream()");
    const { since } = options;
    if (since !== undefined && (!Number.isInteger(since) || since < 0)) {
      throw new InvalidArgumentError(`stream(): since must be a run version (an integer >= 0), got ${String(since)}.`);
    }
    return streamRun(this.api, id, options);
  }

  /**
   * Cancels a running run (and its running tasks); resolves with the cancelled run.
   * Rejects with `RunNotFoundError` (404) or `RunAlreadyFinishedError` (409).
   *
   * @example
   * await client.runs.cancel(id, { reason: "user asked" });
   */
  cancel(id: string, options: CancelOptions = {}): Promise<RunInfo> {
    const path = `${runPath(id, "cancel()")}/cancel`;
    const { reason } = options;
    if (reason !== undefined && typeof reason !== "string") throw new InvalidArgumentError("cancel(): reason must be a string.");
    const body = reason === undefined ? {} : { reason };
    const answer = this.request<{ run: RunInfo }>({ method: "POST", path, body, signal: options.signal, runId: id });
    return answer.then((found) => found.run);
  }

  /** @internal The run without its tasks (`?tasks=false`); `client.run(id)` uses it too. */
  fetchRun(path: string, runId: string, signal: AbortSignal | undefined): Promise<RunInfo> {
    const answer = this.request<{ run: RunInfo }>({ method: "GET", path, query: { tasks: "false" }, signal, runId });
    return answer.then((found) => found.run);
  }

  private request<T>(request: ApiRequest): Promise<T> {
    return this.api.request<T>(request);
  }
}


function disabledError(): RuntrailError {
  return new RuntrailError("disabled", "Runtrail is disabled (enabled: false or RUNTRAIL_DISABLED); client.runs needs a server.");
}

/** What `client.runs` talks to when the client is disabled: every call rejects. */
const DISABLED: ApiClient = {
  request: () => Promise.reject(disabledError()),
  attempt: () => Promise.reject(disabledError()),
};
