/**
 * The background batch processor: takes batches from the head of the queue
 * and sends them through the transport, one request in flight at a time, in
 * queue order; counts what became of every event. None of it runs on the
 * caller's `await` chain.
 *
 * The queue wakes it when it gets its first unencoded event, or a caller
 * starts waiting for room; it then runs the queue's encode pass on a macrotask
 * (`setImmediate`). Building a batch (`flush`, `shutdown`, the exit hooks, the
 * timer) first encodes what that batch needs, in order. A batch goes out when
 * it is full (count or bytes; noticed by the encode pass, so never inside the
 * caller's `await` chain), while callers wait for room, on every tick of an
 * unref'd interval timer, and on `flush()`. Flushes never overlap: a second
 * `flush()` joins the running one (which then also covers the events queued
 * since). A 413 splits the batch in halves; a single event that still gets
 * 413 is dropped as `payload_too_large`.
 *
 * With its first event it joins the process's exit hooks (`exit-hooks.ts`),
 * which flush it when the event loop empties or a signal ends the process; it
 * leaves them once closed.
 */
import { DeliveryError } from "./errors.js";
import type { ExitHooks, ExitParticipant } from "./exit-hooks.js";
import type { CancelledRun, EventResult } from "./protocol.js";
import type { DeliveryReport, EventQueue } from "./queue.js";
import { onMacrotask, unref } from "./timers.js";
import type { Transport } from "./transport.js";

export interface DeliveryOptions<T> {
  queue: EventQueue<T>;
  transport: Transport;
  flushIntervalMs: number;
  /** Must not throw. */
  onError: (error: DeliveryError) => void;
  /** Receives the runs an ingest answer lists as cancelled on the server. Must not throw. */
  onCancelledRuns?: (runs: readonly CancelledRun[]) => void;
  /** The process's exit hooks, joined with the first event. */
  exitHooks: () => ExitHooks;
  /** How long a flush before a terminating signal may take. */
  exitFlushTimeoutMs: number;
  /** How long the flush at `beforeExit` may take (it does not keep the process alive). */
  beforeExitTimeoutMs: number;
}

/** Resolves with `promise`, or with undefined after `ms` on a timer that keeps the process alive. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class Delivery<T> {
  /** Queue position (see `EventQueue.pushed`) the head must reach before the pump rests. */
  private target = 0;
  private pumping: Promise<void> | null = null;
  private flushing: Promise<DeliveryReport> | null = null;
  private closing: Promise<DeliveryReport> | null = null;
  private encodeScheduled = false;
  private readonly abort = new AbortController();
  private readonly timer: ReturnType<typeof setInterval>;
  private readonly queue: EventQueue<T>;
  private readonly transport: Transport;
  private readonly onError: (error: DeliveryError) => void;
  private readonly onCancelledRuns: (runs: readonly CancelledRun[]) => void;
  private readonly exit: Pick<DeliveryOptions<T>, "exitHooks" | "exitFlushTimeoutMs" | "beforeExitTimeoutMs">;
  /** Set once this client joined the exit hooks. */
  private exitHooks: ExitHooks | undefined;

  constructor(options: DeliveryOptions<T>) {
    this.exit = options;
    this.queue = options.queue;
    this.transport = options.transport;
    this.onError = options.onError;
    this.onCancelledRuns = options.onCancelledRuns ?? (() => {});
    this.timer = unref(setInterval(() => this.tick(), options.flushIntervalMs));
    this.queue.wake = () => this.wake();
  }

  /** The queue got its first unencoded event, or a caller waits for room: run the encode pass on a macrotask. */
  private wake(): void {
    if (this.exitHooks === undefined && this.closing === null) {
      this.exitHooks = this.exit.exitHooks();
      this.exitHooks.register(this.exitParticipant);
    }
    if (this.encodeScheduled) return;
    this.encodeScheduled = true;
    onMacrotask(this.encodePass);
  }

  /** Encodes what was recorded since the last pass, then sends at once if a full batch waits or callers wait for room. */
  private readonly encodePass = (): void => {
    this.encodeScheduled = false;
    this.queue.encode();
    if (this.pumping === null && (this.queue.isBatchReady() || this.queue.waiting > 0)) this.kick();
  };

  /** This client as the exit hooks see it. */
  private readonly exitParticipant: ExitParticipant = {
    pending: () => this.queue.length + this.queue.waiting,
    // `beforeExit` fires again after each flush: only start one when events wait and none runs.
    beforeExit: () => {
      if (this.queue.length > 0 && this.flushing === null) void this.flush(this.exit.beforeExitTimeoutMs, false);
    },
    flushBeforeSignal: () =>
      this.closing === null ? this.flush(this.exit.exitFlushTimeoutMs, true) : within(this.closing, this.exit.exitFlushTimeoutMs),
  };

  /**
   * Delivers everything queued now; resolves with the report when done, or
   * after `timeoutMs` with what is still pending. Never rejects.
   * `keepAlive: false` lets the process exit while waiting (used at exit).
   */
  flush(timeoutMs: number, keepAlive = true): Promise<DeliveryReport> {
    if (this.closing !== null || this.abort.signal.aborted) return Promise.resolve(this.queue.report());
    return this.startFlush(timeoutMs, keepAlive);
  }

  /** Stops the timer, flushes, then stops retrying and leaves the exit hooks. Safe to call twice. */
  close(timeoutMs: number): Promise<DeliveryReport> {
    if (this.closing === null) {
      clearInterval(this.timer);
      this.closing = this.startFlush(timeoutMs, true).then((report) => {
        this.abort.abort();
        this.exitHooks?.unregister(this.exitParticipant);
        return report;
      });
    }
    return this.closing;
  }

  private startFlush(timeoutMs: number, keepAlive: boolean): Promise<DeliveryReport> {
    this.target = Math.max(this.target, this.queue.pushed);
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
    this.target = Math.max(this.target, this.queue.pushed);
    this.kick();
  }

  private async drain(): Promise<void> {
    while (this.queue.headPosition < this.target && !this.abort.signal.aborted) {
      this.kick();
      await this.pumping;
    }
  }

  private kick(): void {
    if (this.pumping === null && !this.abort.signal.aborted) this.pumping = this.pump();
  }

  private async pump(): Promise<void> {
    // Yield once, so `kick` has stored this promise before a loop that ends at once clears it.
    await undefined;
    try {
      while (
        !this.abort.signal.aborted &&
        this.queue.length > 0 &&
        (this.queue.headPosition < this.target || this.queue.isBatchReady() || this.queue.waiting > 0)
      ) {
        // Encodes (at most) one batch first: nothing goes out unencoded.
        const batch = this.queue.peekBatch();
        // Empty when everything waiting was dropped as it was encoded (byte bound).
        if (batch.length === 0) break;
        if (!(await this.deliver(batch))) break;
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

  /**
   * Counts a 2xx answer. The client asks for `?results=errors`, so `results`
   * lists only the rejected and conflicting events (a full list, from a server
   * that ignores the parameter, counts the same): every event not rejected was
   * stored, now or before.
   */
  private countResults(count: number, status: number, results: readonly EventResult[] | undefined): void {
    const details: string[] = [];
    if (results !== undefined) {
      for (const result of results) {
        if (result?.status === "rejected") {
          details.push(`batch[${result.index}] (event ${result.id ?? "?"}): ${result.error ?? "rejected"}`);
        }
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
