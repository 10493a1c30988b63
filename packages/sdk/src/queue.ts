/**
 * The ordered, bounded queue of recorded events: what waits for room when it
 * is full, what is dropped, and the delivery counters.
 *
 * Recording calls append events unencoded (cheap for the caller). The encode
 * pass (`encode()`, run by delivery on a macrotask after recording, and for
 * one batch before a batch is built) turns them into JSON in order, so queue
 * order is record order and nothing is sent unencoded. Encoded events live in
 * {@link EncodedEvents}; batches are taken from its head and stay there until
 * sent or dropped, so a retried batch keeps its place.
 *
 * Bounds: `maxQueueSize` counts every event queued, encoded or not, and is
 * checked when an event is appended; `maxQueueBytes` counts encoded bytes, known
 * once an event is encoded. What happens at a bound depends on the call:
 *
 * - Awaited calls (`startRun`, `startTask`, `complete`, `fail`, `skip`:
 *   `pushAwaited`) wait for room: the call's promise resolves once its event
 *   (stamped at the call, so its time and seq are the call's) is appended,
 *   in call order, as delivery frees room. Past the byte bound at encode time
 *   their events are kept, and later awaited calls wait until the queue is back
 *   under it. Waiting yields to the event loop, which lets delivery run.
 * - Synchronous calls (`log`, `update`, heartbeats: `push`) drop their event
 *   when the queue is full or callers wait, and at the byte bound when encoded.
 * - When delivery made no progress (no event left the head) for `maxBlockMs`
 *   while callers waited or the queue was over its byte bound, the queue
 *   *stalls*: waiting calls resolve with their events dropped, the newest
 *   events past the byte bound are dropped, and every event that finds no room
 *   is dropped at once, until delivery progresses again. `maxBlockMs: 0` never
 *   waits. Closing the queue (shutdown) drops the waiting events too.
 *
 * Every drop is counted as `queue_overflow`; one warning is printed until the
 * counts have been reported by `report()`.
 *
 * Positions: every appended event gets the next position. A flush waits until
 * `headPosition` (the oldest event still queued) passes the position it
 * started at, whether the events before it were sent or dropped.
 */
import { BODY_OVERHEAD, EncodedEvents } from "./encoded-events.js";
import { utf8Length } from "./encode.js";
import { keepAlive } from "./timers.js";

/** Why events were dropped instead of delivered. */
export type DropReason = "queue_overflow" | "payload_too_large" | "rejected";

/**
 * What `flush()` and `shutdown()` resolve to. `sent` and `dropped` are totals
 * for the client's lifetime; `pending` is what is still queued or waiting for room.
 *
 * @example
 * const { sent, pending, dropped } = await client.flush();
 * if (pending > 0 || dropped.queue_overflow > 0) console.warn("runtrail lost or delayed events");
 */
export interface DeliveryReport {
  sent: number;
  pending: number;
  dropped: Record<DropReason, number>;
}

export interface QueueLimits {
  maxQueueSize: number;
  maxQueueBytes: number;
  maxBatchSize: number;
  maxBatchBytes: number;
  /** How long awaited calls wait for room while delivery makes no progress; 0 or absent: never. */
  maxBlockMs?: number;
}

interface Waiter<T> {
  item: T;
  resolve: () => void;
}

const noop = (): void => {};

export class EventQueue<T> {
  /** Events appended so far: the position the next one gets. */
  pushed = 0;
  /**
   * Called when the queue gets its first unencoded event, and when a caller
   * starts waiting for room: the consumer (delivery) schedules its encode pass.
   * Must not throw.
   */
  wake: () => void = noop;
  /** Events queued, encoded or not; kept as a count so the recording path reads one field. */
  private count = 0;
  /** Open, nobody waiting, and under the byte bound: an event needs only a free slot. */
  private room = true;
  private closed = false;
  private readonly maxQueueSize: number;
  private readonly maxBlockMs: number;
  private readonly encoded = new EncodedEvents();
  private sent = 0;
  private readonly dropped: Record<DropReason, number> = { queue_overflow: 0, payload_too_large: 0, rejected: 0 };
  /** Events encoded (kept or dropped) so far: the position of the first unencoded one. */
  private encodedUpTo = 0;
  private unencodedItems: T[] = [];
  /** Index of the first event of `unencodedItems` not yet encoded. */
  private unencodedHead = 0;
  private warned = false;
  private waiters: (Waiter<T> | undefined)[] = [];
  private waiterHead = 0;
  /** No progress for `maxBlockMs` while full: drop rather than wait, until delivery progresses. */
  private stalled = false;
  /** When delivery last progressed, or when the watch for it began. */
  private progressAt = 0;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly limits: QueueLimits,
    /** Must not throw. */
    private readonly encodeItem: (item: T) => string,
    private readonly warn: (message: string) => void = (message) => globalThis.console?.warn(message),
    /** True for the events of awaited calls (see the module comment). */
    private readonly awaited: (item: T) => boolean = () => false,
  ) {
    this.maxQueueSize = limits.maxQueueSize;
    // setTimeout treats values past 2^31-1 as 1 ms.
    this.maxBlockMs = Math.min(limits.maxBlockMs ?? 0, 2 ** 31 - 1);
  }

  /** Events queued, encoded or not (including a batch in flight); not those waiting for room. */
  get length(): number {
    return this.count;
  }

  /** Events of awaited calls waiting for room. */
  get waiting(): number {
    return this.waiters.length - this.waiterHead;
  }

  /** Events not yet encoded. */
  get unencoded(): number {
    return this.pushed - this.encodedUpTo;
  }

  /** Events taken off the head (sent or dropped) so far: progress of delivery. */
  get removed(): number {
    return this.encoded.removed;
  }

  /** Position of the oldest event still queued; `pushed` when the queue is empty. */
  get headPosition(): number {
    return this.encoded.headPosition ?? this.encodedUpTo;
  }

  /** Bytes of the encoded events waiting (including a batch in flight). */
  get byteSize(): number {
    return this.encoded.bytes;
  }

  /** No room for another event: full by count or bytes, callers are waiting, or closed. */
  get full(): boolean {
    return !this.room || this.count >= this.maxQueueSize;
  }

  /** Appends the event of a synchronous call; false (the drop counted) when there is no room. */
  push(item: T): boolean {
    if (this.room && this.count < this.maxQueueSize) {
      this.append(item);
      return true;
    }
    if (!this.closed) this.overflow(1);
    return false;
  }

  /**
   * Appends the event of an awaited call: undefined when it is queued (or
   * dropped, or the queue is closed) at once, else a promise that resolves once
   * it is queued, or dropped because delivery stalled or the queue closed.
   */
  pushAwaited(item: T): Promise<void> | undefined {
    if (this.room && this.count < this.maxQueueSize) {
      this.append(item);
      return undefined;
    }
    if (this.closed) return undefined;
    if (this.dropping) {
      this.overflow(1);
      return undefined;
    }
    return new Promise<void>((resolve) => {
      if (this.waiting === 0) this.wake();
      this.waiters.push({ item, resolve });
      this.room = false;
      this.watchProgress();
    });
  }

  /**
   * Encodes waiting events in order, all of them, or (with `forBatch`) only
   * until a full batch is encoded; drops (and counts) those past the byte bound
   * (see the module comment for the events of awaited calls).
   */
  encode(forBatch = false): void {
    const list = this.unencodedItems;
    const encoded = this.encoded;
    const { maxQueueBytes, maxBatchSize, maxBatchBytes } = this.limits;
    let i = this.unencodedHead;
    while (i < list.length) {
      if (forBatch && (encoded.length >= maxBatchSize || encoded.bytes + BODY_OVERHEAD >= maxBatchBytes)) break;
      const item = list[i] as T;
      const json = this.encodeItem(item);
      // Let the event's values go as soon as it is encoded.
      (list as unknown[])[i] = undefined;
      i++;
      const size = utf8Length(json);
      if (encoded.bytes + size > maxQueueBytes && (this.dropping || !this.awaited(item))) {
        this.count--;
        this.overflow(1);
      } else encoded.add(json, size, this.encodedUpTo);
      this.encodedUpTo++;
    }
    if (i === list.length) {
      this.unencodedItems = [];
      this.unencodedHead = 0;
    } else this.unencodedHead = i;
    // Events dropped here freed room; bytes past the bound need watching.
    this.admit();
  }

  /** True when a full batch (by count, or by the bytes encoded so far) is waiting, or the queue is past its byte bound. */
  isBatchReady(): boolean {
    const { maxBatchSize, maxBatchBytes, maxQueueBytes } = this.limits;
    const bytes = this.encoded.bytes;
    return this.count >= maxBatchSize || bytes + BODY_OVERHEAD >= maxBatchBytes || bytes > maxQueueBytes;
  }

  /**
   * The next batch from the head, without removing it, after encoding what
   * waits; at least one event unless the queue is empty. Its events never
   * total more than the byte bound, so a stalled queue can always shed the rest.
   */
  peekBatch(): string[] {
    this.encode(true);
    const { maxBatchSize, maxBatchBytes, maxQueueBytes } = this.limits;
    return this.encoded.peekBatch(maxBatchSize, maxBatchBytes, maxQueueBytes);
  }

  /** Removes `count` encoded events from the head, once they are sent or dropped: delivery progressed. */
  remove(count: number): void {
    const removed = this.encoded.removeHead(count);
    if (removed === 0) return;
    this.count -= removed;
    this.stalled = false;
    this.progressAt = Date.now();
    this.admit();
  }

  countSent(count: number): void {
    this.sent += count;
  }

  countDropped(reason: DropReason, count: number): void {
    this.dropped[reason] += count;
  }

  /** Totals so far; re-arms the overflow warning, since the counts are now reported. */
  report(): DeliveryReport {
    this.warned = false;
    return { sent: this.sent, pending: this.count + this.waiting, dropped: { ...this.dropped } };
  }

  /** Accepts nothing more (shutdown, or a disabled client); events waiting for room are dropped. */
  close(): void {
    this.closed = true;
    this.room = false;
    this.dropWaiting();
    this.clearStallTimer();
  }

  /** Drop instead of waiting: delivery stalled, or waiting is off. */
  private get dropping(): boolean {
    return this.stalled || this.maxBlockMs <= 0;
  }

  private append(item: T): void {
    this.unencodedItems.push(item);
    this.count++;
    if (++this.pushed - this.encodedUpTo === 1) this.wake();
  }

  /** Appends waiting events, oldest first, while there is room; then re-reads the room and the watch. */
  private admit(): void {
    const maxQueueBytes = this.limits.maxQueueBytes;
    while (this.waiterHead < this.waiters.length && this.count < this.maxQueueSize && this.encoded.bytes < maxQueueBytes) {
      const waiter = this.waiters[this.waiterHead];
      this.waiters[this.waiterHead++] = undefined;
      if (waiter === undefined) continue;
      this.append(waiter.item);
      waiter.resolve();
    }
    if (this.waiterHead > 0 && this.waiterHead === this.waiters.length) {
      this.waiters = [];
      this.waiterHead = 0;
    }
    this.room = !this.closed && this.waiterHead === this.waiters.length && this.encoded.bytes < maxQueueBytes;
    this.watchProgress();
  }

  /**
   * Keeps the stall timer running exactly while someone waits for room or the
   * queue is over its byte bound; it keeps the process alive only while a
   * caller waits (an awaited promise must settle).
   */
  private watchProgress(): void {
    const needed = this.waiting > 0 || this.encoded.bytes > this.limits.maxQueueBytes;
    if (!needed || this.closed) {
      this.clearStallTimer();
      return;
    }
    if (this.stallTimer === undefined) {
      this.progressAt = Date.now();
      this.stallTimer = setTimeout(this.checkStall, this.maxBlockMs);
    }
    keepAlive(this.stallTimer, this.waiting > 0);
  }

  private readonly checkStall = (): void => {
    this.stallTimer = undefined;
    const idle = Date.now() - this.progressAt;
    if (idle < this.maxBlockMs) {
      this.stallTimer = setTimeout(this.checkStall, this.maxBlockMs - idle);
      this.watchProgress();
      return;
    }
    if (this.waiting === 0 && this.encoded.bytes <= this.limits.maxQueueBytes) return;
    this.stalled = true;
    const shed = this.encoded.dropNewestPast(this.limits.maxQueueBytes);
    this.count -= shed;
    if (shed > 0) this.overflow(shed);
    this.dropWaiting();
    this.admit();
  };

  private dropWaiting(): void {
    const waiters = this.waiters;
    const head = this.waiterHead;
    this.waiters = [];
    this.waiterHead = 0;
    if (head < waiters.length) this.overflow(waiters.length - head);
    for (let i = head; i < waiters.length; i++) waiters[i]?.resolve();
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== undefined) clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  private overflow(count: number): void {
    this.countDropped("queue_overflow", count);
    if (this.warned) return;
    this.warned = true;
    const why = this.stalled ? `, and delivery made no progress for ${this.maxBlockMs} ms` : "";
    this.warn(
      `[runtrail] event queue full (${this.count} events, ${this.encoded.bytes} bytes; limits ` +
        `${this.maxQueueSize} events / ${this.limits.maxQueueBytes} bytes${why}): dropping new events. ` +
        `Dropped so far: ${JSON.stringify(this.dropped)}. Further drops are counted silently; ` +
        "see the report of client.flush().",
    );
  }
}
