/**
 * The client: wires handles to the queue and the queue to the transport.
 */
import type { RuntrailOptions } from "./config.js";
import { DEFAULTS, resolveConfig } from "./config.js";
import { Delivery } from "./delivery.js";
import type { DeliveryError } from "./errors.js";
import { ClientClosedError } from "./errors.js";
import type { Recorder } from "./events.js";
import { createEventIdGenerator } from "./ids.js";
import type { DeliveryReport } from "./queue.js";
import { EventQueue } from "./queue.js";
import type { StartRunOptions } from "./run.js";
import { Run } from "./run.js";
import { createTransport } from "./transport.js";

interface ExitHookHost {
  on(event: "beforeExit", listener: () => void): unknown;
  off(event: "beforeExit", listener: () => void): unknown;
}

function processHost(): ExitHookHost | undefined {
  const proc = (globalThis as { process?: Partial<ExitHookHost> }).process;
  return typeof proc?.on === "function" && typeof proc.off === "function" ? (proc as ExitHookHost) : undefined;
}

/**
 * Records runs and tasks and delivers them to a Runtrail server in the
 * background: batched, in order, retried with backoff, in a bounded queue.
 *
 * Recording never waits for the network. Events still queued when Node's
 * event loop empties are flushed by a `beforeExit` hook; call `shutdown()`
 * before `process.exit()`, which skips that hook.
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
  private readonly queue: EventQueue;
  private readonly delivery: Delivery | undefined;
  private readonly recorder: Recorder & { active: boolean };
  private exitHook: (() => void) | undefined;
  private shutdownReport: Promise<DeliveryReport> | undefined;

  /** Throws `InvalidArgumentError` on bad options, or when enabled without an API key. */
  constructor(options: RuntrailOptions = {}) {
    const config = resolveConfig(options);
    this.enabled = config.enabled;
    this.queue = new EventQueue(config);
    const onError = (error: DeliveryError): void => {
      try {
        config.onError(error);
      } catch {
        // Background failures never reach user code, even through a throwing onError.
      }
    };
    this.delivery = config.enabled
      ? new Delivery({
          queue: this.queue,
          flushIntervalMs: config.flushIntervalMs,
          onError,
          transport: createTransport({
            url: `${config.baseUrl}/api/v1/ingest`,
            apiKey: config.apiKey,
            fetch: config.fetch,
            requestTimeoutMs: config.requestTimeoutMs,
            onError,
          }),
        })
      : undefined;
    const delivery = this.delivery;
    const queue = this.queue;
    const recorder = {
      active: config.enabled,
      maxValueBytes: config.maxValueBytes,
      nextEventId: createEventIdGenerator(),
      enqueue: (json: string): void => {
        if (!queue.push(json) || delivery === undefined) return;
        if (this.exitHook === undefined) this.installExitHook(delivery);
        delivery.notify();
      },
    };
    this.recorder = recorder;
  }

  /**
   * Starts a run (state `running`); its `run.start` event is queued at once.
   * Throws `ClientClosedError` after `shutdown()`, `InvalidArgumentError` on bad options.
   *
   * @example
   * const run = await client.startRun({ name: "report", input: { file: "report.pdf" }, tags: ["nightly"] });
   */
  startRun(options?: StartRunOptions): Promise<Run> {
    if (this.shutdownReport !== undefined) throw new ClientClosedError();
    return Promise.resolve(new Run(this.recorder, options));
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
   * Stops the timer, flushes (at most `timeoutMs`), then stops delivery. Later
   * `startRun` calls throw `ClientClosedError`; events from handles still open
   * are ignored. Calling it again returns the same report.
   *
   * @example
   * await client.shutdown();
   */
  shutdown(timeoutMs: number = DEFAULTS.flushTimeoutMs): Promise<DeliveryReport> {
    if (this.shutdownReport === undefined) {
      this.recorder.active = false;
      this.removeExitHook();
      this.shutdownReport =
        this.delivery === undefined ? Promise.resolve(this.queue.report()) : this.delivery.close(timeoutMs);
    }
    return this.shutdownReport;
  }

  /**
   * Node fires `beforeExit` when the event loop empties; flush then. It fires
   * again after that flush, so only start one when events are pending and no
   * flush runs. The flush's timeout timer is unref'd: a server that is down
   * cannot hold the process open (its retries sleep on unref'd timers too).
   */
  private installExitHook(delivery: Delivery): void {
    const host = processHost();
    const hook = (): void => {
      if (this.queue.length > 0 && !delivery.isFlushing) void delivery.flush(DEFAULTS.flushTimeoutMs, false);
    };
    this.exitHook = hook;
    host?.on("beforeExit", hook);
  }

  private removeExitHook(): void {
    if (this.exitHook !== undefined) processHost()?.off("beforeExit", this.exitHook);
  }
}
