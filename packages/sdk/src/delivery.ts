/**
 * The background batch processor: moves batches from the queue to the
 * transport, one request in flight at a time, in queue order.
 *
 * A batch goes out when it is full (count or bytes), on every tick of an
 * unref'd interval timer, and on `flush()`. Flushes never overlap: a second
 * `flush()` joins the running one (which then also covers the events queued
 * since). A 413 splits the batch in halves; a single event that still gets
 * 413 is dropped as `payload_too_large`.
 */
import { DeliveryError } from "./errors.js";
import type { CancelledRun, EventResult } from "./protocol.js";
import type { DeliveryReport, EventQueue } from "./queue.js";
import { unref } from "./timers.js";
import type { Transport } from "./transport.js";

export interface DeliveryOptions {
  queue: EventQueue;
  transport: Transport;
  flushIntervalMs: number;
  /** Must not throw. */
  onError: (error: DeliveryError) => void;
  /** Receives the runs an ingest answer lists as cancelled on the server. Must not throw. */
  onCancelledRuns?: (runs: CancelledRun[]) => void;
}

export class Delivery {
  /** Absolute queue position (see `EventQueue.accepted`) that must be delivered before the pump rests. */
  private target = 0;
  private pumping: Promise<void> | null = null;
  private flushing: Promise<DeliveryReport> | null = null;
  private closing: Promise<DeliveryReport> | null = null;
  private readonly abort = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly queue: EventQueue;
  private readonly transport: Transport;
  private readonly onError: (error: DeliveryError) => void;
  private readonly onCancelledRuns: (runs: CancelledRun[]) => void;

  constructor(options: DeliveryOptions) {
    this.queue = options.queue;
    this.transport = options.transport;
    this.onError = options.onError;
    this.onCancelledRuns = options.onCancelledRuns ?? (() => {});
    this.timer = unref(setInterval(() => this.tick(), options.flushIntervalMs));
  }

  /** True while a flush is waiting for delivery. */
  get isFlushing(): boolean {
    return this.flushing !== null;
  }

  /** Called after each enqueue: sends at once when a full batch is waiting. */
  notify(): void {
    if (this.pumping === null && this.queue.isBatchReady()) this.kick();
  }

  /**
   * Delivers everything queued now; resolves with the report when done, or
   * after `timeoutMs` with what is still pending. Never rejects.
   * `keepAlive: false` lets the process exit while waiting (used at exit).
   */
  flush(timeoutMs: number, keepAlive = true): Promise<DeliveryReport> {
    if (this.closing !== null || this.abort.signal.aborted) return Promise.resolve(this.queue.report());
    return this.startFlush(timeoutMs, keepAlive);
  }

  /** Stops the timer, flushes, then stops retrying. Safe to call twice. */
  close(timeoutMs: number): Promise<DeliveryReport> {
    if (this.closing === null) {
      clearInterval(this.timer);
      this.closing = this.startFlush(timeoutMs, true).then((report) => {
        this.abort.abort();
        return report;
      });
    }
    return this.closing;
  }

  private startFlush(timeoutMs: number, keepAlive: boolean): Promise<DeliveryReport> {
    this.target = Math.max(this.target, this.queue.accepted);
    if (this.flushing !== null) return this.flushing;
    const flushing = new Promise<DeliveryReport>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (this.flushing === flushing) this.flushing = null;
        resolve(this.queue.report());
      };
      // setTimeout treats values past 2^31-1 (and Infinity) as 1 ms.
      const timer = setTimeout(finish, Math.min(Math.max(0, timeoutMs), 2 ** 31 - 1));
      if (!keepAlive) unref(timer);
      this.drain().then(finish, finish);
    });
    this.flushing = flushing;
    return flushing;
  }

  private tick(): void {
    if (this.queue.length === 0) return;
    this.target = Math.max(this.target, this.queue.accepted);
    this.kick();
  }

  private async drain(): Promise<void> {
    while (this.queue.removed < this.target && !this.abort.signal.aborted) {
      this.kick();
      await this.pumping;
    }
  }

  private kick(): void {
    if (this.pumping === null && !this.abort.signal.aborted) this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    // Leave the caller's stack first: a full batch found during `startTask`
    // must not make that call build a request body.
    await Promise.resolve();
    try {
      while (
        !this.abort.signal.aborted &&
        this.queue.length > 0 &&
        (this.queue.removed < this.target || this.queue.isBatchReady())
      ) {
        if (!(await this.deliver(this.queue.peekBatch()))) break;
      }
    } finally {
      this.pumping = null;
    }
  }

  /** Sends events from the head of the queue; false when aborted (they stay queued). */
  private async deliver(events: string[]): Promise<boolean> {
    const outcome = await this.transport.send(events, this.abort.signal);
    switch (outcome.kind) {
      case "aborted":
        return false;
      case "sent":
        this.countResults(events.length, outcome.status, outcome.results);
        if (outcome.cancelledRuns.length > 0) this.onCancelledRuns(outcome.cancelledRuns);
        break;
      case "rejected":
        this.queue.countDropped("rejected", events.length);
        break;
      case "too_large":
        if (events.length > 1) {
          const half = Math.ceil(events.length / 2);
          return (await this.deliver(events.slice(0, half))) && (await this.deliver(events.slice(half)));
        }
        this.queue.countDropped("payload_too_large", 1);
        this.onError(
          new DeliveryError("payload_too_large", "Runtrail refused an event as too large (HTTP 413); dropped it.", {
            status: 413,
            eventCount: 1,
            willRetry: false,
          }),
        );
        break;
    }
    this.queue.remove(events.length);
    return true;
  }

  private countResults(count: number, status: number, results: EventResult[] | undefined): void {
    const details: string[] = [];
    for (const result of results ?? []) {
      if (result?.status === "rejected") {
        details.push(`batch[${result.index}] (event ${result.id ?? "?"}): ${result.error ?? "rejected"}`);
      }
    }
    this.queue.countSent(count - details.length);
    if (details.length === 0) return;
    this.queue.countDropped("rejected", details.length);
    this.onError(
      new DeliveryError("rejected", `Runtrail rejected ${details.length} of ${count} events.`, {
        status,
        eventCount: details.length,
        willRetry: false,
        details,
      }),
    );
  }
}
