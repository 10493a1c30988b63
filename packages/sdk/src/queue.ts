/**
 * The ordered, bounded queue of recorded events, and the delivery counters.
 *
 * Recording calls append events unencoded (cheap for the caller). The encode
 * pass (`encode()`, run by delivery on a macrotask after recording, and for
 * one batch before a batch is built) turns them into JSON in order, so queue
 * order is record order and nothing is sent unencoded. A batch is taken from
 * the head and stays there until it is sent or dropped, so a retried batch
 * keeps its place.
 *
 * Bounds: `maxQueueSize` counts every event queued, encoded or not, checked
 * when an event is appended; `maxQueueBytes` counts encoded bytes, known once
 * an event is encoded. At a bound:
 *
 * - an awaited call (`startRun`, `startTask`, `complete`, `fail`, `skip`:
 *   `pushAwaited`) waits for room in the {@link WaitingRoom}: its promise
 *   resolves once its event (stamped at the call) is appended, in call order,
 *   as delivery frees room. Waiting yields to the event loop, which lets
 *   delivery run. Past the byte bound at encode time its event is kept, and
 *   later awaited calls wait until the queue is back under the bound;
 * - a synchronous call (`log`, `update`, heartbeats: `push`) drops its event,
 *   also while callers wait, and at the byte bound when it is encoded;
 * - when delivery made no progress for `maxBlockMs` (the room stalls), the
 *   waiting events and the newest events past the byte bound are dropped, and
 *   so is every event that finds no room, until delivery progresses again.
 *   Closing the queue (shutdown) drops the waiting events too.
 *
 * Every drop is counted as `queue_overflow`; one warning is printed until the
 * counts have been reported by `report()`.
 *
 * Positions: every appended event gets the next position. A flush waits until
 * `headPosition` (the oldest event still queued) passes the position it
 * started at, whether the events before it were sent or dropped.
 */
import { utf8Length } from "./utf8-length.js";
import { WaitingRoom } from "./waiting-room.js";

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

/** `{"batch":[` + `]}` */
const BODY_OVERHEAD = 12;
/** Compact the backing arrays once this many slots at the head are spent. */
const COMPACT_AFTER = 1024;

const noop = (): void => {};

export class EventQueue<T> {
  /** Events appended so far: the position the next one gets. */
  pushed = 0;
  /** Events taken off the head (sent or dropped) so far: progress of delivery. */
  removed = 0;
  /**
   * Called when the queue gets its first unencoded event, and when a caller
   * starts waiting for room: the consumer (delivery) schedules its encode pass.
   * Must not throw.
   */
  wake: () => void = noop;
  /** Events queued, encoded or not: one field for the recording path to read. */
  private count = 0;
  /** Open, nobody waiting, and under the byte bound: an event needs only a free slot. */
  private room = true;
  private closed = false;
  private readonly maxQueueSize: number;
  private sent = 0;
  private readonly dropped: Record<DropReason, number> = { queue_overflow: 0, payload_too_large: 0, rejected: 0 };
  private items: string[] = [];
  private sizes: number[] = [];
  private positions: number[] = [];
  private head = 0;
  private bytes = 0;
  /** Events at the head handed out by the last `peekBatch` and not yet removed. */
  private inFlight = 0;
  /** Events encoded (kept or dropped) so far: the position of the first unencoded one. */
  private encodedUpTo = 0;
  private unencodedItems: T[] = [];
  /** Index of the first event of `unencodedItems` not yet encoded. */
  private unencodedHead = 0;
  private warned = false;
  private readonly waitingRoom: WaitingRoom<T>;

  constructor(
    private readonly limits: QueueLimits,
    /** Must not throw. */
    private readonly encodeItem: (item: T) => string,
    private readonly warn: (message: string) => void = (message) => globalThis.console?.warn(message),
    /** True for the events of awaited calls (see the module comment). */
    private readonly awaited: (item: T) => boolean = () => false,
  ) {
    this.maxQueueSize = limits.maxQueueSize;
    this.waitingRoom = new WaitingRoom<T>(limits.maxBlockMs ?? 0, () => this.stall());
  }

  /** Events queued, encoded or not (including a batch in flight); not those waiting for room. */
  get length(): number {
    return this.count;
  }

  /** Events of awaited calls waiting for room. */
  get waiting(): number {
    return this.waitingRoom.size;
  }

  /** Events not yet encoded. */
  get unencoded(): number {
    return this.pushed - this.encodedUpTo;
  }

  /** Position of the oldest event still queued; `pushed` when the queue is empty. */
  get headPosition(): number {
    return this.head < this.items.length ? (this.positions[this.head] ?? this.encodedUpTo) : this.encodedUpTo;
  }

  /** Bytes of the encoded events waiting (including a batch in flight). */
  get byteSize(): number {
    return this.bytes;
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
    if (this.waitingRoom.dropping) {
      this.overflow(1);
      return undefined;
    }
    if (this.waitingRoom.size === 0) this.wake();
    const entered = this.waitingRoom.enter(item);
    this.room = false;
    this.waitingRoom.watch(true);
    return entered;
  }

  /**
   * Encodes waiting events in order, all of them, or (with `forBatch`) only
   * until a full batch is encoded; drops (and counts) those past the byte bound
   * (see the module comment for the events of awaited calls).
   */
  encode(forBatch = false): void {
    const list = this.unencodedItems;
    const { maxQueueBytes, maxBatchSize, maxBatchBytes } = this.limits;
    let i = this.unencodedHead;
    while (i < list.length) {
      if (forBatch && (this.items.length - this.head >= maxBatchSize || this.bytes + BODY_OVERHEAD >= maxBatchBytes)) break;
      const item = list[i] as T;
      const json = this.encodeItem(item);
      // Let the event's values go as soon as it is encoded.
      (list as unknown[])[i] = undefined;
      i++;
      const size = utf8Length(json);
      if (this.bytes + size > maxQueueBytes && (this.waitingRoom.dropping || !this.awaited(item))) {
        this.count--;
        this.overflow(1);
      } else {
        this.items.push(json);
        this.sizes.push(size);
        this.positions.push(this.encodedUpTo);
        this.bytes += size;
      }
      this.encodedUpTo++;
    }
    if (i === list.length) {
      this.unencodedItems = [];
      this.unencodedHead = 0;
    } else this.unencodedHead = i;
    // Drops here freed room; bytes past the bound close it, and need watching.
    this.admit();
  }

  /** True when a full batch (by count, or by the bytes encoded so far) is waiting, or the queue is past its byte bound. */
  isBatchReady(): boolean {
    const { maxBatchSize, maxBatchBytes, maxQueueBytes } = this.limits;
    return this.count >= maxBatchSize || this.bytes + BODY_OVERHEAD >= maxBatchBytes || this.bytes > maxQueueBytes;
  }

  /**
   * The next batch from the head, without removing it, after encoding what
   * waits; at least one event unless the queue is empty. Its events never
   * total more than the byte bound, so a stalled queue can always shed the rest.
   */
  peekBatch(): string[] {
    this.encode(true);
    const { maxBatchSize, maxBatchBytes, maxQueueBytes } = this.limits;
    const end = Math.min(this.items.length, this.head + maxBatchSize);
    let body = BODY_OVERHEAD;
    let events = 0;
    let i = this.head;
    while (i < end) {
      const size = this.sizes[i] ?? 0;
      if (i > this.head && (body + size + 1 > maxBatchBytes || events + size > maxQueueBytes)) break;
      body += size + 1;
      events += size;
      i++;
    }
    this.inFlight = i - this.head;
    return this.items.slice(this.head, i);
  }

  /** Removes `count` encoded events from the head, once they are sent or dropped: delivery progressed. */
  remove(count: number): void {
    const start = this.head;
    const end = Math.min(this.items.length, start + count);
    if (end === start) return;
    for (let i = start; i < end; i++) {
      this.bytes -= this.sizes[i] ?? 0;
      this.items[i] = "";
    }
    this.removed += end - start;
    this.count -= end - start;
    this.inFlight = Math.max(0, this.inFlight - (end - start));
    this.head = end;
    if (this.head === this.items.length) this.clearEncoded();
    else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.positions = this.positions.slice(this.head);
      this.head = 0;
    }
    this.waitingRoom.progress(Date.now());
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
    return { sent: this.sent, pending: this.count + this.waitingRoom.size, dropped: { ...this.dropped } };
  }

  /** Accepts nothing more (shutdown, or a disabled client); events waiting for room are dropped. */
  close(): void {
    this.closed = true;
    this.room = false;
    this.waitingRoom.stop();
    const dropped = this.waitingRoom.dropAll();
    if (dropped > 0) this.overflow(dropped);
  }

  private append(item: T): void {
    this.unencodedItems.push(item);
    this.count++;
    if (++this.pushed - this.encodedUpTo === 1) this.wake();
  }

  /** Lets waiting events in, oldest first, while there is room; then updates the room and the watch. */
  private admit(): void {
    const maxQueueBytes = this.limits.maxQueueBytes;
    while (this.waitingRoom.size > 0 && this.count < this.maxQueueSize && this.bytes < maxQueueBytes) {
      const waiter = this.waitingRoom.next();
      if (waiter === undefined) break;
      this.append(waiter.item);
      waiter.resolve();
    }
    this.room = !this.closed && this.waitingRoom.size === 0 && this.bytes < maxQueueBytes;
    if (!this.closed) this.waitingRoom.watch(this.waitingRoom.size > 0 || this.bytes > maxQueueBytes);
  }

  /** No progress for `maxBlockMs`: drop the waiting events, and the newest past the byte bound (never a batch in flight). */
  private stall(): void {
    let shed = 0;
    while (this.bytes > this.limits.maxQueueBytes && this.items.length - this.head > this.inFlight) {
      this.bytes -= this.sizes.pop() ?? 0;
      this.items.pop();
      this.positions.pop();
      shed++;
    }
    if (this.head === this.items.length) this.clearEncoded();
    this.count -= shed;
    const dropped = shed + this.waitingRoom.dropAll();
    if (dropped > 0) this.overflow(dropped);
    this.admit();
  }

  private clearEncoded(): void {
    this.items = [];
    this.sizes = [];
    this.positions = [];
    this.head = 0;
  }

  private overflow(count: number): void {
    this.countDropped("queue_overflow", count);
    if (this.warned) return;
    this.warned = true;
    const why = this.waitingRoom.stalled ? `, and delivery made no progress for ${this.limits.maxBlockMs} ms` : "";
    this.warn(
      `[runtrail] event queue full (${this.count} events, ${this.bytes} bytes; limits ` +
        `${this.maxQueueSize} events / ${this.limits.maxQueueBytes} bytes${why}): dropping new events. ` +
        `Dropped so far: ${JSON.stringify(this.dropped)}. Further drops are counted silently; ` +
        "see the report of client.flush().",
    );
  }
}
