/**
 * The ordered, bounded queue of events, and the delivery counters.
 *
 * Events arrive unencoded (cheap for the caller) and are encoded in order by
 * `encode()`, which the client runs on a macrotask after recording, and which
 * `peekBatch()` runs (for one batch) before building a batch: nothing is sent
 * unencoded, and encoded events always precede unencoded ones, so queue order
 * is record order.
 *
 * Positions: every event pushed gets the next position, encoded or not. A
 * flush waits until `headPosition` (the oldest event still queued) passes the
 * position it started at, whether the events before it were sent or dropped.
 *
 * Bounds: the count bound (`maxQueueSize`, encoded and unencoded together) is
 * checked when an event is pushed; the byte bound (`maxQueueBytes`) when it is
 * encoded, since only then is its size known. An event past either bound is
 * dropped and counted as `queue_overflow`; one warning is printed until the
 * counts have been reported by `flush()`.
 *
 * A batch is taken from the head and stays there until it is sent or dropped,
 * so a retried batch keeps its place.
 */
import { utf8Length } from "./encode.js";

/** Why events were dropped instead of delivered. */
export type DropReason = "queue_overflow" | "payload_too_large" | "rejected";

/**
 * What `flush()` and `shutdown()` resolve to. `sent` and `dropped` are totals
 * for the client's lifetime; `pending` is what is still queued.
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
}

/** `{"batch":[` + `]}` */
const BODY_OVERHEAD = 12;
/** Compact the backing arrays once this many slots at the head are spent. */
const COMPACT_AFTER = 1024;

export class EventQueue<T> {
  /** Events pushed so far: the position the next one gets. */
  pushed = 0;
  /** Events taken off the head (sent or dropped) so far: progress of delivery. */
  removed = 0;
  private sent = 0;
  private readonly dropped: Record<DropReason, number> = { queue_overflow: 0, payload_too_large: 0, rejected: 0 };
  private items: string[] = [];
  private sizes: number[] = [];
  private positions: number[] = [];
  private head = 0;
  private bytes = 0;
  /** Events encoded (kept or dropped) so far: the position of the first unencoded one. */
  private encodedUpTo = 0;
  private unencodedItems: T[] = [];
  /** Index of the first event of `unencodedItems` not yet encoded. */
  private unencodedHead = 0;
  private warned = false;

  constructor(
    private readonly limits: QueueLimits,
    /** Must not throw. */
    private readonly encodeItem: (item: T) => string,
    private readonly warn: (message: string) => void = (message) => globalThis.console?.warn(message),
  ) {}

  /** Events waiting, encoded or not (including a batch in flight). */
  get length(): number {
    return this.items.length - this.head + this.pushed - this.encodedUpTo;
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

  /** Appends one event, unencoded; returns false (and counts the drop) when the count bound is reached. */
  push(item: T): boolean {
    if (this.items.length - this.head + this.pushed - this.encodedUpTo >= this.limits.maxQueueSize) {
      this.overflow();
      return false;
    }
    this.unencodedItems.push(item);
    this.pushed++;
    return true;
  }

  /**
   * Encodes waiting events in order, all of them, or (with `forBatch`) only
   * until a full batch is encoded; drops (and counts) those past the byte bound.
   */
  encode(forBatch = false): void {
    const list = this.unencodedItems;
    const { maxQueueBytes, maxBatchSize, maxBatchBytes } = this.limits;
    let i = this.unencodedHead;
    while (i < list.length) {
      if (forBatch && (this.items.length - this.head >= maxBatchSize || this.bytes + BODY_OVERHEAD >= maxBatchBytes)) break;
      const json = this.encodeItem(list[i] as T);
      // Let the event's values go as soon as it is encoded.
      (list as unknown[])[i] = undefined;
      i++;
      const size = utf8Length(json);
      if (this.bytes + size > maxQueueBytes) {
        this.overflow();
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
  }

  /** True when a full batch (by count, or by the bytes encoded so far) is waiting. */
  isBatchReady(): boolean {
    return this.length >= this.limits.maxBatchSize || this.bytes + BODY_OVERHEAD >= this.limits.maxBatchBytes;
  }

  /**
   * The next batch from the head, without removing it, after encoding what
   * waits; at least one event unless the queue is empty.
   */
  peekBatch(): string[] {
    this.encode(true);
    const end = Math.min(this.items.length, this.head + this.limits.maxBatchSize);
    let bytes = BODY_OVERHEAD;
    let i = this.head;
    while (i < end) {
      const size = (this.sizes[i] ?? 0) + 1;
      if (i > this.head && bytes + size > this.limits.maxBatchBytes) break;
      bytes += size;
      i++;
    }
    return this.items.slice(this.head, i);
  }

  /** Removes `count` encoded events from the head, once they are sent or dropped. */
  remove(count: number): void {
    const end = Math.min(this.items.length, this.head + count);
    for (let i = this.head; i < end; i++) {
      this.bytes -= this.sizes[i] ?? 0;
      this.items[i] = "";
    }
    this.removed += end - this.head;
    this.head = end;
    if (this.head === this.items.length) {
      this.items = [];
      this.sizes = [];
      this.positions = [];
      this.head = 0;
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.positions = this.positions.slice(this.head);
      this.head = 0;
    }
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
    return { sent: this.sent, pending: this.length, dropped: { ...this.dropped } };
  }

  private overflow(): void {
    this.countDropped("queue_overflow", 1);
    if (this.warned) return;
    this.warned = true;
    this.warn(
      `[runtrail] event queue full (${this.length} events, ${this.bytes} bytes; limits ` +
        `${this.limits.maxQueueSize} events / ${this.limits.maxQueueBytes} bytes): dropping new events. ` +
        `Dropped so far: ${JSON.stringify(this.dropped)}. Further drops are counted silently; ` +
        "see the report of client.flush().",
    );
  }
}
