/**
 * The client: wires the queue to delivery and delivery to the transport,
 * keeps the open runs (heartbeats, cancels, resumes), and exposes the read API.
 * It is not on the recording path: handles put their events in the queue.
 */
import { checkId } from "./arguments.js";
import type { RuntrailOptions } from "./config.js";
import { DEFAULTS, resolveConfig } from "./config.js";
import { Delivery } from "./delivery.js";
import { createEncoder } from "./encode.js";
import type { DeliveryError } from "./errors.js";
import { ClientClosedError } from "./errors.js";
import { sharedExitHooks } from "./exit-hooks.js";
import { createApiClient } from "./http.js";
import { IdSequence } from "./ids.js";
import { OpenRuns } from "./open-runs.js";
import type { PendingEvent } from "./pending-event.js";
import { isAwaitedEvent } from "./pending-event.js";
import type { CancelledRun, RunInfo } from "./protocol.js";
import type { DeliveryReport } from "./queue.js";
import { EventQueue } from "./queue.js";
import type { StartRunOptions } from "./run.js";
import { Run, startRun } from "./run.js";
import type { RunOwner } from "./run-state.js";
import { cancelRunContext, createRunContext } from "./run-state.js";
import { RunsApi, runPath } from "./runs-api.js";
import { keepShapes } from "./shapes.js";
import { createTransport } from "./transport.js";

/**
 * Records runs and tasks and delivers them to a Runtrail server in the
 * background: batched, in order, retried with backoff, in a bounded queue.
 * Open runs send heartbeats and learn of cancels (`run.signal`); `client.runs`
 * reads and controls runs over the HTTP API.
 *
 * Recording never serialises: a call queues references to its values, which
 * are encoded on the next turn of the event loop (see `run.startTask`). While
 * the queue has room, no call waits. When it is full, awaited calls
 * (`startRun`, `startTask`, `complete`, `fail`, `skip`) wait for delivery to
 * make room, and drop their event (counted) only once delivery has made no
 * progress for `maxBlockMs`; `log` and `update` drop theirs at once.
 *
 * Queued events are flushed when Node's event loop empties (`beforeExit`) and
 * on SIGTERM / SIGINT (for at most `exitFlushTimeoutMs`, then the signal takes
 * its course); call `shutdown()` before `process.exit()`, which skips those hooks.
 *
 * @example
 * import { Runtrail } from "@runtrail/sdk";
 * const client = new Runtrail({ baseUrl: "http://127.0.0.1:3000", apiKey: process.env.RUNTRAIL_API_KEY });
 * const run = await client.startRun({ name: "report", input: { file: "report.pdf" } });
 * const task = await run.startTask("parse-pdf", { file: "report.pdf" });
 * await task.complete({ output: { pages: 3 } });
 * await run.complete();
 * await client.shutdown();
 */
export class Runtrail {
  /** False when built with `enabled: false` or `RUNTRAIL_DISABLED=1`: every call is a no-op. */
  readonly enabled: boolean;
  /**
   * Read and control runs over the HTTP API (same `baseUrl`, `apiKey`, `fetch`).
   *
   * @example
   * const final = await client.runs.wait(runId, { timeoutMs: 60_000 });
   */
  readonly runs: RunsApi;
  private readonly queue: EventQueue<PendingEvent>;
  private readonly delivery: Delivery<PendingEvent> | undefined;
  private readonly owner: RunOwner;
  private readonly heartbeatTimeoutMs: number | undefined;
  private readonly openRuns: OpenRuns;
  private shutdownReport: Promise<DeliveryReport> | undefined;

  /** Throws `InvalidArgumentError` on bad options, or when enabled without an API key. */
  constructor(options: RuntrailOptions = {}) {
    const config = resolveConfig(options);
    this.enabled = config.enabled;
    this.heartbeatTimeoutMs = config.heartbeatTimeoutMs;
    if (config.enabled) keepShapes();
    const warn = (message: string): void => globalThis.console?.warn(message);
    const queue = new EventQueue<PendingEvent>(config, createEncoder(config.maxValueBytes), warn, isAwaitedEvent);
    this.queue = queue;
    const onError = (error: DeliveryError): void => {
      try {
        config.onError(error);
      } catch {
        // Background failures never reach user code, even through a throwing onError.
      }
    };
    const http = { baseUrl: config.baseUrl, apiKey: config.apiKey, fetch: config.fetch, requestTimeoutMs: config.requestTimeoutMs };
    if (config.enabled) {
      this.delivery = new Delivery({
        queue,
        flushIntervalMs: config.flushIntervalMs,
        onError,
        onCancelledRuns: (runs) => this.applyCancels(runs),
        // Only rejected and conflicting events come back: a clean batch's answer stays small.
        transport: createTransport({ ...http, url: `${config.baseUrl}/api/v1/ingest?results=errors`, onError }),
        exitHooks: sharedExitHooks,
        exitFlushTimeoutMs: config.exitFlushTimeoutMs,
        beforeExitTimeoutMs: DEFAULTS.flushTimeoutMs,
      });
    } else {
      queue.close();
    }
    this.runs = new RunsApi(config.enabled ? createApiClient(http) : undefined);
    this.openRuns = new OpenRuns({ heartbeatIntervalMs: config.enabled ? config.heartbeatIntervalMs : 0, queue });
    this.owner = { queue, taskIds: new IdSequence(), closed: (run) => this.openRuns.remove(run) };
  }

  /**
   * Starts a run (state `running`); its `run.start` event is queued at once
   * (`input` and `metadata` are read on the next turn of the event loop, see `run.startTask`).
   * Throws `ClientClosedError` after `shutdown()`, `InvalidArgumentError` on bad options.
   *
   * The run is heartbeated while it is open and some handle on it (the `Run`, or
   * one of its tasks) is still reachable. A run whose handles are all garbage
   * (say a request handler threw before finishing it) stops being heartbeated,
   * and the server marks it `timed_out` after `heartbeatTimeoutMs`.
   *
   * @example
   * const run = await client.startRun({ name: "report", input: { file: "report.pdf" }, tags: ["nightly"] });
   */
  startRun(options: StartRunOptions = {}): Promise<Run> {
    if (this.shutdownReport !== undefined) throw new ClientClosedError();
    return startRun(this.owner, options, this.heartbeatTimeoutMs, (ctx) => {
      if (this.enabled) this.openRuns.add(ctx);
    });
  }

  /**
   * A handle on a run recorded by another process (or earlier by this one), to add
   * tasks and finish it. Its events sort after everything the server stored for it
   * (`lastSeq`). A finished run gives a handle with that status, whose `startTask`
   * throws. If this client has the run open, the handle shares its state.
   * Rejects with `RunNotFoundError` (404) or `ApiError`; throws `ClientClosedError`
   * after `shutdown()`, `InvalidArgumentError` on an id that is empty or longer
   * than 200 characters. A disabled client answers a local handle without asking.
   *
   * @example
   * const run = await client.run(runIdFromTheQueueMessage);
   * const task = await run.startTask("worker-step");
   * await task.complete();
   */
  run(runId: string, options: { signal?: AbortSignal } = {}): Promise<Run> {
    checkId(runId, "run(): run id");
    const path = runPath(runId, "run()");
    if (this.shutdownReport !== undefined) throw new ClientClosedError();
    const open = this.openRuns.get(runId);
    if (open !== undefined) return Promise.resolve(new Run(open));
    if (!this.enabled) {
      return Promise.resolve(new Run(createRunContext(this.owner, { id: runId, name: "run", status: "running", lastSeq: -1 })));
    }
    return this.runs.fetchRun(path, runId, options.signal).then((info) => this.resumed(runId, info));
  }

  /**
   * Sends everything queued now and waits for it (and for a batch in flight).
   * Resolves, never rejects, after at most `timeoutMs` with totals so far and
   * what is still pending; delivery of the rest goes on in the background.
   *
   * @example
   * const report = await client.flush(5_000);
   * // { sent: 42, pending: 0, dropped: { queue_overflow: 0, payload_too_large: 0, rejected: 0 } }
   */
  flush(timeoutMs: number = DEFAULTS.flushTimeoutMs): Promise<DeliveryReport> {
    if (this.delivery === undefined) return Promise.resolve(this.queue.report());
    return this.delivery.flush(timeoutMs);
  }

  /**
   * Stops the timers, flushes (at most `timeoutMs`), then stops delivery. Later
   * `startRun` / `run` calls throw `ClientClosedError`; events from handles still
   * open are ignored. Calling it again returns the same report.
   *
   * @example
   * await client.shutdown();
   */
  shutdown(timeoutMs: number = DEFAULTS.flushTimeoutMs): Promise<DeliveryReport> {
    if (this.shutdownReport === undefined) {
      // Events recorded from here on are ignored; those waiting for room are dropped.
      this.queue.close();
      this.openRuns.stop();
      this.shutdownReport = this.delivery === undefined ? Promise.resolve(this.queue.report()) : this.delivery.close(timeoutMs);
    }
    return this.shutdownReport;
  }

  private resumed(runId: string, info: RunInfo): Run {
    // Another call may have opened it while this one waited for the server.
    const open = this.openRuns.get(runId);
    if (open !== undefined) return new Run(open);
    const lastSeq = typeof info.lastSeq === "number" && Number.isFinite(info.lastSeq) ? info.lastSeq : -1;
    const name = typeof info.name === "string" && info.name !== "" ? info.name : "run";
    const ctx = createRunContext(this.owner, { id: runId, name, status: info.status, lastSeq });
    if (this.shutdownReport === undefined) this.openRuns.add(ctx);
    return new Run(ctx);
  }

  /** An ingest answer listed runs cancelled on the server: abort the open ones. */
  private applyCancels(runs: readonly CancelledRun[]): void {
    for (const { runId, reason } of runs) {
      const ctx = this.openRuns.get(runId);
      if (ctx === undefined) continue;
      try {
        cancelRunContext(ctx, reason ?? undefined);
      } catch {
        // An abort listener that throws is the application's bug; delivery goes on.
      }
    }
  }
}
